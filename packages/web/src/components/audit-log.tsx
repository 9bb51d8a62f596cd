/**
 * Administration → Audit log (docs/API.md, "The audit log"): every admin action and role change,
 * newest first, a page at a time, narrowed to one action. Read-only: the API changes no entry.
 */
import type { AuditEntry, AuditQuery } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import { AUDIT_ACTIONS, auditActionLabel } from '../lib/audit-text.js';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { PagedList } from '../lib/stores/paged-list.js';
import { useAtom } from '../lib/use-atom.js';
import { AuditEntryItem } from './audit-entry-item.js';
import { FormError } from './form-error.js';
import { LoadMore } from './load-more.js';

const PAGE_SIZE = 50;
type Action = NonNullable<AuditQuery['action']>;

export function AuditLog({ store }: { store: ChatStore }) {
  const [list] = useState(() => new PagedList<AuditEntry>());
  const view = useAtom(list.view);
  const [action, setAction] = useState<Action | ''>('');
  useEffect(() => {
    void list.show((cursor) => store.client.listAudit({ action: action || undefined, cursor, limit: PAGE_SIZE }).then((page) => ({ items: page.entries, next_cursor: page.next_cursor })));
  }, [store, action]);
  useEffect(() => store.role.refused(view.error), [view.error]);

  return (
    <section class="settings__section admin__section" aria-labelledby="audit-heading">
      <h3 id="audit-heading">Audit log</h3>
      <p class="muted">Every admin action and role change, newest first. Entries cannot be changed or deleted.</p>
      <div class="field admin__filter">
        <label for="audit-action">Action</label>
        <select id="audit-action" value={action} onChange={(e) => setAction(e.currentTarget.value as Action | '')}>
          <option value="">All actions</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {auditActionLabel(a)}
            </option>
          ))}
        </select>
      </div>
      {view.loading && !view.loaded ? <p class="muted">Loading the audit log…</p> : null}
      {view.loaded && view.items.length === 0 ? <p class="muted">{action ? 'No entries of this action.' : 'Nothing has been audited yet.'}</p> : null}
      {view.items.length > 0 ? (
        <ol class="audit" aria-label="Audit log entries">
          {view.items.map((entry) => (
            <AuditEntryItem key={entry.id} store={store} entry={entry} />
          ))}
        </ol>
      ) : null}
      <FormError error={view.error ? errorText(view.error) : null} />
      <LoadMore view={view} label="Load older entries" endText={`All ${view.items.length} ${view.items.length === 1 ? 'entry is' : 'entries are'} shown.`} onMore={() => void list.more()} />
    </section>
  );
}
