/**
 * Reporting someone else's message to the server's admins (docs/API.md, "Reports"): a modal
 * dialog (the browser's own <dialog>: focus starts in it and stays inside until it closes) that
 * quotes the message and asks why, 1 to 1000 characters. The server answers a new report or the
 * one you made before of this message; either way the admins have it, so both end the same way.
 * A refusal stays in the dialog, in words. Escape or Cancel closes it; message-item.tsx puts focus
 * back on Report.
 */
import type { Message } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { REASON_HINT, reasonProblem, reportErrorText } from '../lib/report-reason.js';
import { FormError } from './form-error.js';

/** The quote stops here: enough to recognise the message, not a second copy of a long one. */
const QUOTE_MAX_CHARS = 280;

interface ReportDialogProps {
  store: ChatStore;
  message: Message;
  /** Closed: `reported` after the server took the report, false when cancelled. */
  onDone: (reported: boolean) => void;
}

export function ReportDialog({ store, message, onDone }: ReportDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const finished = useRef(false);
  const [reason, setReason] = useState('');
  /** Submitted once: from then on an empty reason says so (not while the field is still untouched). */
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const problem = reasonProblem(reason);
  const shownProblem = problem !== null && (attempted || reason.trim() !== '') ? problem : null;
  const sender = store.users.name(message.sender_id);
  const ids = `report-${message.message_id}`;

  useEffect(() => {
    // Modal: the page behind is inert, and focus goes to the first field, the reason.
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  const finish = (reported: boolean) => {
    if (finished.current) return;
    finished.current = true;
    onDone(reported);
  };

  const submit = async () => {
    setAttempted(true);
    if (problem !== null || busy) return;
    setBusy(true);
    setError(null);
    try {
      await store.client.reportMessage(message.message_id, reason.trim());
      finish(true);
    } catch (e) {
      setError(reportErrorText(e));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="report-dialog"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        // Escape: closed by the app (which unmounts it), and not while the report is on its way.
        e.preventDefault();
        if (!busy) finish(false);
      }}
      // Should the browser close it all the same (a second Escape), the app follows.
      onClose={() => finish(false)}
      onKeyDown={(e) => {
        // Escape belongs to the dialog: panels around the message must not close with it.
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <form
        class="report-dialog__form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2 id={`${ids}-title`} class="report-dialog__title">
          Report this message
        </h2>
        <blockquote class="report-dialog__quote">
          <span class="report-dialog__sender">{sender}:</span> {message.content === '' ? <span class="muted">files only</span> : quote(message.content)}
        </blockquote>
        <p class="muted report-dialog__about">The server’s admins see the message, who sent it, who reported it and why. {sender} is not told who reported it.</p>
        <div class={`field${shownProblem ? ' field--invalid' : ''}`}>
          <label for={`${ids}-reason`}>Reason</label>
          <textarea
            id={`${ids}-reason`}
            class="report-dialog__reason"
            rows={3}
            required
            value={reason}
            aria-invalid={shownProblem !== null}
            aria-describedby={shownProblem ? `${ids}-problem` : `${ids}-hint`}
            onInput={(e) => setReason(e.currentTarget.value)}
          />
          {shownProblem ? (
            <p class="field__error" id={`${ids}-problem`}>
              {shownProblem}
            </p>
          ) : (
            <p class="field__hint" id={`${ids}-hint`}>
              {REASON_HINT}
            </p>
          )}
        </div>
        <FormError error={error} />
        <div class="form__actions">
          <button type="submit" class="button button--danger" aria-busy={busy}>
            {busy ? 'Reporting…' : 'Report'}
          </button>
          <button type="button" class="button button--ghost" disabled={busy} onClick={() => finish(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}

function quote(content: string): string {
  const chars = [...content];
  return chars.length > QUOTE_MAX_CHARS ? `${chars.slice(0, QUOTE_MAX_CHARS).join('')}…` : content;
}
