/**
 * One report in Administration → Reports: who reported whose message, where and when, the
 * message's text as it was reported (plain, exactly as typed: the admins judge what was sent),
 * and the reporter's reason. An open one has an optional note and Resolve / Dismiss; a refusal
 * (another admin closed it the other way first) shows under it. A closed one says how, by whom,
 * when, and the note.
 */
import type { Report } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { closeErrorText, noteProblem, reportStatusLabel } from '../lib/report-text.js';
import { ConversationRef, UserRef } from './admin-refs.js';
import { FormError } from './form-error.js';

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const when = (iso: string) => new Date(iso).toLocaleString(undefined, WHEN);

type Closing = 'resolved' | 'dismissed';

interface ReportItemProps {
  store: ChatStore;
  report: Report;
  /** Closes it with an optional note; rejects with the server's refusal. */
  onClose: (status: Closing, note: string | undefined) => Promise<void>;
}

export function ReportItem({ store, report, onClose }: ReportItemProps) {
  const titleId = `report-${report.id}`;
  return (
    <li class={`report report--${report.status}`} tabIndex={-1} aria-labelledby={titleId}>
      <div class="report__head">
        <span class="report__title" id={titleId}>
          Report by <UserRef store={store} id={report.reporter_id} />
        </span>
        <time class="muted" dateTime={report.created_at}>
          {when(report.created_at)}
        </time>
      </div>
      <p class="report__line">
        Message from <UserRef store={store} id={report.sender_id} /> in <ConversationRef store={store} id={report.conversation_id} />:
      </p>
      <blockquote class="report__content">{report.content === '' ? <span class="muted">No text (files only).</span> : report.content}</blockquote>
      <p class="report__reason">
        <span class="report__label">Reason:</span> {report.reason}
      </p>
      {report.status === 'open' ? <CloseReport report={report} onClose={onClose} /> : <Outcome store={store} report={report} />}
    </li>
  );
}

/** The note and the two decisions; busy on the one pressed until the server answers. */
function CloseReport({ report, onClose }: { report: Report; onClose: ReportItemProps['onClose'] }) {
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState<Closing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const problem = noteProblem(note);
  const noteId = `report-note-${report.id}`;

  const close = (status: Closing) => {
    if (busy || problem) return;
    setBusy(status);
    setError(null);
    // On success the report leaves the queue (and this form with it).
    onClose(status, note.trim() || undefined).catch((e: unknown) => {
      setError(closeErrorText(e));
      setBusy(null);
    });
  };

  return (
    <div class="report__close">
      <div class="field">
        <label for={noteId}>Note (optional)</label>
        <textarea id={noteId} rows={2} value={note} aria-invalid={problem !== null} aria-describedby={problem ? `${noteId}-problem` : undefined} onInput={(e) => setNote(e.currentTarget.value)} />
        {problem ? (
          <p class="field__error" id={`${noteId}-problem`}>
            {problem}
          </p>
        ) : null}
      </div>
      <div class="form__actions">
        <button type="button" class="button button--primary button--small" aria-busy={busy === 'resolved'} onClick={() => close('resolved')}>
          {busy === 'resolved' ? 'Resolving…' : 'Resolve'}
        </button>
        <button type="button" class="button button--small" aria-busy={busy === 'dismissed'} onClick={() => close('dismissed')}>
          {busy === 'dismissed' ? 'Dismissing…' : 'Dismiss'}
        </button>
      </div>
      <FormError error={error} />
    </div>
  );
}

/** "Resolved by @ana, 7 Dec 2026, 10:00", and the note when there is one. */
function Outcome({ store, report }: { store: ChatStore; report: Report }) {
  return (
    <>
      <p class="report__outcome">
        <span class={`tag report__status report__status--${report.status}`}>{reportStatusLabel(report.status)}</span>
        {report.resolved_by ? (
          <>
            {' '}
            by <UserRef store={store} id={report.resolved_by} />
          </>
        ) : null}
        {report.resolved_at ? (
          <>
            {', '}
            <time dateTime={report.resolved_at}>{when(report.resolved_at)}</time>
          </>
        ) : null}
      </p>
      {report.note ? (
        <p class="report__note">
          <span class="report__label">Note:</span> {report.note}
        </p>
      ) : null}
    </>
  );
}
