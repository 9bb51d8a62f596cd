/**
 * One message (content in the Markdown subset of FormattedText, never parsed as HTML), its
 * reactions, edit and delete for your own; on someone else's, Delete for the conversation's
 * owners and admins, "Delete (admin)" for a server admin, and Report (message-moderation.tsx).
 * Each delete asks first. One from someone you block is folded away until shown (blocked-message.tsx).
 */
import type { Message } from '@pneumatic/client';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { listNames, timeLabel } from '../lib/format.js';
import type { PendingSend } from '../lib/stores/messages-store.js';
import { useAtom } from '../lib/use-atom.js';
import { BlockedMessageFold, useBlockedFold } from './blocked-message.js';
import { EditForm } from './edit-form.js';
import { FormattedText } from './formatted-text.js';
import type { DeleteAs } from '../lib/message-actions.js';
import { REPORTED_TEXT } from '../lib/report-reason.js';
import { MessageAttachments } from './message-attachments.js';
import { MessageModeration } from './message-moderation.js';
import { MessageReplyButtons, ThreadSummaryButton } from './message-thread-actions.js';
import { MessagePin } from './message-pin.js';
import { MessageText } from './message-text.js';
import { ReactionBar } from './reaction-bar.js';
import { ReportDialog } from './report-dialog.js';
import { UserAvatar, UserName } from './user-profile.js';
import { QuotedMessage } from './reply-quote.js';

interface MessageItemProps {
  store: ChatStore;
  message: Message;
  showName: boolean;
  /** The latest message shows who has read up to it. */
  isLatest: boolean;
  /** Shown in a thread panel: Reply quotes in the thread's composer, and no thread summary. */
  inThread?: boolean;
  /** The message jumped to (a search result opened): marked until the conversation is left. */
  highlighted?: boolean;
}

type Mode = 'view' | 'edit' | 'confirm-delete' | 'report';
/** Where keyboard focus goes back to: the button that was used, or the composer after a delete. */
type FocusTarget = 'edit' | 'delete' | 'report' | 'composer';

export function MessageItem({ store, message, showName, isLatest, inThread = false, highlighted = false }: MessageItemProps) {
  const own = message.sender_id === store.me.id;
  const [mode, setMode] = useState<Mode>('view');
  const [deleteAs, setDeleteAs] = useState<DeleteAs>('sender');
  const [error, setError] = useState<string | null>(null);
  /** "Reported to the server's admins." once the report dialog sent it. */
  const [notice, setNotice] = useState<string | null>(null);
  const editButton = useRef<HTMLButtonElement>(null);
  /** Delete or "Delete (admin)" on someone else's message. */
  const deleteButton = useRef<HTMLButtonElement>(null);
  const reportButton = useRef<HTMLButtonElement>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  /** Where keyboard focus goes when the message is back in view mode. */
  const focusNext = useRef<FocusTarget | null>(null);
  const fold = useBlockedFold(store, message);
  const asAdmin = deleteAs === 'server-admin';
  const files = message.deleted ? 0 : (message.attachments?.length ?? 0);
  // Files alone need no empty bubble above them.
  const bubble = files === 0 || message.content !== '' || message.reply_to_id !== null || message.edited_at !== null;

  // Keyboard focus follows the step: into the confirmation, and back to "Edit" afterwards.
  useLayoutEffect(() => {
    if (mode === 'confirm-delete') confirmButton.current?.focus();
    if (mode !== 'view' || !focusNext.current) return;
    // A deleted message has no actions left: continue in the composer.
    const buttons = { edit: editButton.current, delete: deleteButton.current, report: reportButton.current, composer: null };
    (buttons[focusNext.current] ?? document.getElementById('composer-input'))?.focus();
    focusNext.current = null;
  }, [mode]);

  if (fold.folded) return <BlockedMessageFold message={message} onShow={fold.show} />;

  const backToView = (focus: FocusTarget) => {
    focusNext.current = focus;
    setMode('view');
  };

  const remove = () => {
    backToView('composer');
    store.remove(message, { asAdmin }).catch((e: unknown) => setError(errorText(e)));
  };
  const askDelete = (as: DeleteAs) => {
    setDeleteAs(as);
    setMode('confirm-delete');
  };
  const cancelDelete = () => backToView(deleteAs === 'sender' ? 'edit' : 'delete');
  const reported = (done: boolean) => {
    if (done) setNotice(REPORTED_TEXT);
    backToView('report');
  };

  return (
    <li
      class={`message${own ? ' message--own' : ''}${showName ? ' message--first' : ''}${highlighted ? ' message--target' : ''}`}
      data-seq={message.seq}
      aria-current={highlighted ? 'true' : undefined}
    >
      {showName ? (
        <div class="message__meta">
          {own ? null : <UserAvatar store={store} userId={message.sender_id} small />}
          <span class="message__sender">{own ? 'You' : <UserName store={store} userId={message.sender_id} />}</span>
          <time dateTime={message.created_at}>{timeLabel(message.created_at)}</time>
        </div>
      ) : null}
      {mode === 'edit' ? (
        <EditForm
          store={store}
          message={message}
          onDone={(content) => {
            backToView('edit');
            if (content === null || content === message.content) return;
            store.edit(message, content).catch((e: unknown) => setError(errorText(e)));
          }}
        />
      ) : (
        <div class="message__row">
          <div class="message__stack">
            {bubble ? (
              <div class={`message__bubble${message.deleted ? ' message__bubble--deleted' : ''}`} title={new Date(message.created_at).toLocaleString()}>
                <QuotedMessage store={store} message={message} />
                {message.deleted ? <span class="message__deleted">This message was deleted</span> : <MessageText store={store} message={message} />}
                {message.edited_at && !message.deleted ? <span class="message__edited"> (edited)</span> : null}
              </div>
            ) : null}
            <MessageAttachments store={store} message={message} />
          </div>
          {own && !message.deleted && mode === 'view' ? (
            <div class="message__actions">
              <button type="button" ref={editButton} class="button button--ghost button--tiny" onClick={() => setMode('edit')}>
                Edit
              </button>
              <button type="button" class="button button--ghost button--tiny" onClick={() => askDelete('sender')}>
                Delete
              </button>
            </div>
          ) : null}
          {mode === 'view' ? <MessageReplyButtons store={store} message={message} inThread={inThread} /> : null}
          {!message.deleted && mode === 'view' ? <MessagePin store={store} message={message} /> : null}
          {!own && !message.deleted && mode === 'view' ? (
            <MessageModeration store={store} message={message} deleteRef={deleteButton} reportRef={reportButton} onDelete={askDelete} onReport={() => setMode('report')} />
          ) : null}
        </div>
      )}
      {mode !== 'edit' && !message.deleted ? <ReactionBar store={store} message={message} /> : null}
      {inThread ? null : <ThreadSummaryButton store={store} message={message} />}
      {mode === 'report' ? <ReportDialog store={store} message={message} onDone={reported} /> : null}
      {mode === 'confirm-delete' ? (
        <div
          class="message__confirm"
          role="group"
          aria-label={asAdmin ? 'Confirm delete as an administrator' : 'Confirm delete'}
          onKeyDown={(e) => {
            if (e.key === 'Escape') cancelDelete();
          }}
        >
          <span>{deleteQuestion(deleteAs, store.users.name(message.sender_id))}</span>
          <button type="button" ref={confirmButton} class="button button--danger button--tiny" onClick={remove}>
            Yes, delete
          </button>
          <button type="button" class="button button--ghost button--tiny" onClick={cancelDelete}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p class="message__status message__status--error" role="alert">
          {error}
        </p>
      ) : null}
      {notice ? (
        <p class="message__status message__status--notice" role="status">
          {notice}
        </p>
      ) : null}
      {isLatest && !message.deleted ? <SeenBy store={store} message={message} own={own} /> : null}
    </li>
  );
}

/** The question before a delete: yours, or someone else's as the conversation's owner or admin, or as the server's admin. */
function deleteQuestion(as: DeleteAs, sender: string): string {
  if (as === 'server-admin') return `Delete this message from ${sender} for everyone, as an administrator?`;
  return as === 'manager' ? `Delete this message from ${sender} for everyone?` : 'Delete this message for everyone?';
}

/** "Seen by …" under the latest message: follows the read positions only. */
function SeenBy({ store, message, own }: { store: ChatStore; message: Message; own: boolean }) {
  const positions = useAtom(store.reads(message.conversation_id));
  const names = [...positions].filter(([userId, seq]) => userId !== message.sender_id && seq >= message.seq).map(([userId]) => store.users.name(userId));
  if (names.length > 0) return <p class="message__status message__receipt">Seen by {listNames(names)}</p>;
  return own ? <p class="message__status">Sent</p> : null;
}

/** A send waiting for its acknowledgement, or one that failed (with retry). */
export function PendingItem({ store, pending, showName }: { store: ChatStore; pending: PendingSend; showName: boolean }) {
  const failed = pending.status === 'failed';
  return (
    <li class={`message message--own message--pending${failed ? ' message--failed' : ''}${showName ? ' message--first' : ''}`} aria-busy={!failed}>
      {showName ? (
        <div class="message__meta">
          <span class="message__sender">You</span>
        </div>
      ) : null}
      <div class="message__row">
        <div class="message__bubble">
          {pending.content ? <FormattedText class="message__text" content={pending.content} /> : null}
          {pending.attachments?.length ? <span class="message__files">{pending.attachments.length === 1 ? '1 file' : `${pending.attachments.length} files`}</span> : null}
        </div>
      </div>
      {failed ? (
        <p class="message__status message__status--error" role="alert">
          {pending.error ?? 'Not sent.'}{' '}
          <button type="button" class="button button--ghost button--tiny" onClick={() => store.retry(pending.message_id)}>
            Retry
          </button>
          <button type="button" class="button button--ghost button--tiny" onClick={() => store.discard(pending.message_id)}>
            Discard
          </button>
        </p>
      ) : (
        <p class="message__status">Sending…</p>
      )}
    </li>
  );
}
