/**
 * Administration (loaded when first opened: lazy-component.ts; docs/API.md, "Administration"):
 * the server's users, with their roles and account state, the reports members made, the audit
 * log and the retention period, one screen each (`#/admin`, `#/admin/reports`, `#/admin/audit`,
 * `#/admin/retention`). For admins only:
 * anyone else who lands here by its address is told so, and the server refuses their requests anyway.
 */
import { useEffect, useRef } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import type { AdminTab } from '../lib/route.js';
import { useAtom } from '../lib/use-atom.js';
import { navigate } from '../lib/use-route.js';
import { AdminReports } from './admin-reports.js';
import { AdminRetention } from './admin-retention.js';
import { AdminUsers } from './admin-users.js';
import { AuditLog } from './audit-log.js';

const TABS: ReadonlyArray<{ tab: AdminTab; label: string; hash: string }> = [
  { tab: 'users', label: 'Users', hash: '#/admin' },
  { tab: 'reports', label: 'Reports', hash: '#/admin/reports' },
  { tab: 'audit', label: 'Audit log', hash: '#/admin/audit' },
  { tab: 'retention', label: 'Retention', hash: '#/admin/retention' },
];

export function AdminPanel({ store, tab }: { store: ChatStore; tab: AdminTab }) {
  const role = useAtom(store.role.view);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  return (
    <section class="panel" aria-labelledby="admin-heading">
      <header class="panel__header">
        <button type="button" class="button button--ghost button--icon back" onClick={() => navigate({ kind: 'home' })} aria-label="Back to conversations">
          ‹
        </button>
        <h2 id="admin-heading" tabIndex={-1} ref={heading}>
          Administration
        </h2>
      </header>
      <div class="panel__body admin">
        {role === null ? <p class="muted">Loading…</p> : null}
        {role === 'member' ? <p class="muted">Administration is for this server’s administrators.</p> : null}
        {role === 'admin' ? (
          <>
            <nav class="admin__tabs" aria-label="Administration screens">
              {TABS.map((t) => (
                <a key={t.tab} href={t.hash} class="admin__tab" aria-current={t.tab === tab ? 'page' : undefined}>
                  {t.label}
                </a>
              ))}
            </nav>
            {tab === 'users' ? <AdminUsers store={store} /> : null}
            {tab === 'reports' ? <AdminReports store={store} /> : null}
            {tab === 'audit' ? <AuditLog store={store} /> : null}
            {tab === 'retention' ? <AdminRetention store={store} /> : null}
          </>
        ) : null}
      </div>
    </section>
  );
}
