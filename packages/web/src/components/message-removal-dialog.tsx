/**
 * Administration → Users → "Remove messages…" (docs/API.md, "Removing a user's messages"): a
 * modal dialog (the browser's <dialog>: focus stays inside until it closes) that removes all of a
 * user's messages, or those sent in a time window (From inclusive, To exclusive, in the browser's
 * local time), as a background job on the server, then shows how far it got, read every second
 * until it is done or failed. Closing it early leaves the job running. admin-user-item.tsx puts
 * focus back on the button that opened it.
 */
import type { AdminUser, MessageRemoval, PneumaticClient } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { pollRemoval, removalProgressText, removalWindow, removalWindowText, type RemovalWindow } from '../lib/message-removal.js';
import { FormError } from './form-error.js';

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };
const when = (iso: string) => new Date(iso).toLocaleString(undefined, WHEN);

interface MessageRemovalDialogProps {
  client: Pick<PneumaticClient, 'startMessageRemoval' | 'getMessageRemoval'>;
  user: AdminUser;
  onClose: () => void;
  /** A refusal of an admin request (`forbidden`: the role was taken away meanwhile). */
  onRefused: (error: unknown) => void;
}

export function MessageRemovalDialog({ client, user, onClose, onRefused }: MessageRemovalDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  const closed = useRef(false);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problems, setProblems] = useState<{ from?: string; to?: string }>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [scope, setScope] = useState<RemovalWindow>({});
  const [removal, setRemoval] = useState<MessageRemoval | null>(null);
  const who = `@${user.username}`;
  const ids = `removal-${user.id}`;

  useEffect(() => {
    const element = dialog.current;
    element?.showModal();
    return () => element?.close();
  }, []);

  // Started: the form gives way to the progress, focus to its Close.
  const started = removal !== null;
  useEffect(() => {
    if (started) close.current?.focus();
  }, [started]);

  // Running: progress every second until the job is done or failed (or the dialog closes).
  const runningId = removal?.status === 'running' ? removal.id : undefined;
  useEffect(() => {
    if (!runningId) return;
    return pollRemoval({
      get: () => client.getMessageRemoval(runningId),
      onUpdate: (next) => {
        setRemoval(next);
        setError(null);
      },
      onError: (e) => setError(`Could not read the progress: ${errorText(e)} Trying again.`),
    });
  }, [runningId]);

  const finish = () => {
    if (closed.current) return;
    closed.current = true;
    onClose();
  };

  const start = async () => {
    if (busy) return;
    const checked = removalWindow(from, to);
    setProblems(checked.problems);
    if (checked.problems.from || checked.problems.to) return;
    setBusy(true);
    setError(null);
    try {
      const job = await client.startMessageRemoval(user.id, checked.window);
      setScope(checked.window);
      setRemoval(job);
    } catch (e) {
      onRefused(e);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const running = removal?.status === 'running';
  return (
    <dialog
      ref={dialog}
      class="removal-dialog"
      aria-labelledby={`${ids}-title`}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) finish();
      }}
      onClose={finish}
      onKeyDown={(e) => {
        if (e.key === 'Escape') e.stopPropagation();
      }}
    >
      <h2 id={`${ids}-title`} class="removal-dialog__title">
        Remove messages from {who}
      </h2>
      {removal === null ? (
        <form
          class="removal-dialog__form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void start();
          }}
        >
          <p class="muted">
            Deletes {who}’s messages in every conversation, for everyone; each conversation is told, as for any delete. It cannot be undone. Leave both times empty to remove all of their
            messages.
          </p>
          <div class="removal-dialog__window">
            <TimeField id={`${ids}-from`} label="From" hint="Sent at or after this time." value={from} onInput={setFrom} problem={problems.from} />
            <TimeField id={`${ids}-to`} label="To" hint="Sent before this time." value={to} onInput={setTo} problem={problems.to} />
          </div>
          <FormError error={error} />
          <div class="form__actions">
            <button type="submit" class="button button--danger" aria-busy={busy}>
              {busy ? 'Starting…' : 'Remove messages'}
            </button>
            <button type="button" class="button button--ghost" disabled={busy} onClick={finish}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div class="removal-dialog__progress">
          <p>Removing {removalWindowText(scope, when)}.</p>
          <progress id={`${ids}-progress`} aria-label="Removal progress" max={Math.max(removal.total, 1)} value={removal.status === 'done' ? Math.max(removal.total, 1) : removal.removed} />
          <p class={`removal-dialog__status${removal.status === 'failed' ? ' field__error' : ''}`} role="status">
            {removalProgressText(removal)}
          </p>
          <FormError error={error} />
          {running ? <p class="muted">Closing this leaves the removal running on the server.</p> : null}
          <div class="form__actions">
            <button type="button" ref={close} class="button" onClick={finish}>
              Close
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}

interface TimeFieldProps {
  id: string;
  label: string;
  hint: string;
  value: string;
  onInput: (value: string) => void;
  problem: string | undefined;
}

/** A `datetime-local` input with its hint, or its problem, wired for assistive technology. */
function TimeField({ id, label, hint, value, onInput, problem }: TimeFieldProps) {
  return (
    <div class={`field${problem ? ' field--invalid' : ''}`}>
      <label for={id}>{label}</label>
      <input id={id} type="datetime-local" value={value} aria-invalid={problem ? 'true' : undefined} aria-describedby={`${id}-note`} onInput={(e) => onInput(e.currentTarget.value)} />
      <p id={`${id}-note`} class={problem ? 'field__error' : 'field__hint'}>
        {problem ?? hint}
      </p>
    </div>
  );
}
