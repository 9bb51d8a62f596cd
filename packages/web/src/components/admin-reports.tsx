/**
 * Administration → Reports (docs/API.md, "Reports"): the queue of open reports, oldest first, a
 * page at a time; each closed as resolved or dismissed, with an optional note, and gone from the
 * queue once closed (the audit log keeps who did it). The filter shows the resolved or the
 * dismissed ones instead, with who closed them, when and their note; those are read-only.
 */
import type { Report } from '@pneumatic/client';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { REPORT_FILTERS, closedNotice, reportFilterLabel, type ReportFilter } from '../lib/report-text.js';
import { PagedList } from '../lib/stores/paged-list.js';
import { useAtom } from '../lib/use-atom.js';
import { FormError } from './form-error.js';
import { LoadMore } from './load-more.js';
import { ReportItem } from './report-item.js';

const PAGE_SIZE = 50;

const LIST_LABELS: Record<ReportFilter, string> = { open: 'Open reports', resolved: 'Resolved reports', dismissed: 'Dismissed reports' };
const EMPTY_TEXT: Record<ReportFilter, string> = {
  open: 'No open reports: the queue is empty.',
  resolved: 'No report has been resolved yet.',
  dismissed: 'No report has been dismissed yet.',
};

export function AdminReports({ store }: { store: ChatStore }) {
  const [list] = useState(() => new PagedList<Report>());
  const view = useAtom(list.view);
  const [filter, setFilter] = useState<ReportFilter>('open');
  const [notice, setNotice] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  const items = useRef<HTMLOListElement>(null);
  /** Where the closed report was: focus goes to the report now there (or the heading when none is left). */
  const refocusAt = useRef<number | null>(null);

  // Before the browser can see the page: a plain effect would leave one render where the list,
  // already labelled with the new filter, still shows the reports of the old one.
  useLayoutEffect(() => {
    setNotice('');
    void list.show((cursor) => store.client.listReports({ status: filter, cursor, limit: PAGE_SIZE }).then((page) => ({ items: page.reports, next_cursor: page.next_cursor })));
  }, [store, filter]);
  useEffect(() => store.role.refused(view.error), [view.error]);

  useLayoutEffect(() => {
    const at = refocusAt.current;
    if (at === null) return;
    refocusAt.current = null;
    const rows = items.current?.children;
    const next = rows && rows.length > 0 ? (rows[Math.min(at, rows.length - 1)] as HTMLElement) : heading.current;
    next?.focus();
  }, [view.items]);

  /** Rejects with the server's refusal (`report_closed`), which the report's row shows. */
  const close = async (report: Report, status: 'resolved' | 'dismissed', note: string | undefined) => {
    setNotice('');
    const closed = await store.client.closeReport(report.id, status, note).catch((error: unknown) => {
      store.role.refused(error);
      throw error;
    });
    refocusAt.current = view.items.findIndex((r) => r.id === closed.id);
    list.remove(closed.id);
    setNotice(closedNotice(status));
    // The last one shown is closed but more are open: the next page takes its place.
    if (list.view.get().items.length === 0) void list.more();
  };

  return (
    <section class="settings__section admin__section" aria-labelledby="admin-reports-heading">
      <h3 id="admin-reports-heading" tabIndex={-1} ref={heading}>
        Reports
      </h3>
      <p class="muted">Messages members reported, with their reasons. Each report keeps the message’s text as it was when reported. Resolve one when something was done about it (delete the message from its conversation, deactivate the sender under Users), dismiss it when nothing needed doing.</p>
      <div class="field admin__filter">
        <label for="admin-reports-shown">Show</label>
        <select id="admin-reports-shown" value={filter} onChange={(e) => setFilter(e.currentTarget.value as ReportFilter)}>
          {REPORT_FILTERS.map((f) => (
            <option key={f} value={f}>
              {reportFilterLabel(f)}
            </option>
          ))}
        </select>
      </div>
      <p class="admin__notice" role="status">
        {notice}
      </p>
      {view.loading && !view.loaded ? <p class="muted">Loading reports…</p> : null}
      {view.loaded && view.items.length === 0 && !view.more ? <p class="muted">{EMPTY_TEXT[filter]}</p> : null}
      {view.items.length > 0 ? (
        <ol class="reports" aria-label={LIST_LABELS[filter]} ref={items}>
          {view.items.map((report) => (
            <ReportItem key={report.id} store={store} report={report} onClose={(status, note) => close(report, status, note)} />
          ))}
        </ol>
      ) : null}
      <FormError error={view.error ? errorText(view.error) : null} />
      <LoadMore view={view} label="Load more reports" endText={`All ${view.items.length} ${view.items.length === 1 ? 'report is' : 'reports are'} shown.`} onMore={() => void list.more()} />
    </section>
  );
}
