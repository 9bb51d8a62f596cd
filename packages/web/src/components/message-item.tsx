/** One message (text only: content is never parsed as HTML), with edit and delete for your own. */
import type { Message } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore, PendingSend } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { listNames, timeLabel } from '../lib/format.js';
import { contentProblem } from '../lib/limits.js';

interface MessageItemProps {
  store: ChatStore;
  message: Message;
  showName: boolean;
  /** Set on the latest message: who has read up to it. */
  seenBy: string[] | null;
}

export function MessageItem({ store, message, showName, seenBy }: MessageItemProps) {
  const own = message.sender_id === store.me.id;
  const [mode, setMode] = useState<'view' | 'edit' | 'confirm-delete'>('view');
  const [error, setError] = useState<string | null>(null);
  const sender = own ? 'You' : store.username(message.conversation_id, message.sender_id);

  const remove = () => {
    setMode('view');
    store.remove(message).catch((e: unknown) => setError(errorText(e)));
  };

  return (
    <li class={`message${own ? ' message--own' : ''}${showName ? ' message--first' : ''}`} data-seq={message.seq}>
      {showName ? (
        <div class="message__meta">
          <span class="message__sender">{sender}</span>
          <time dateTime={message.created_at}>{timeLabel(message.created_at)}</time>
        </div>
      ) : null}
      {mode === 'edit' ? (
        <EditForm
          message={message}
          onDone={(content) => {
            setMode('view');
            if (content === null || content === message.content) return;
            store.edit(message, content).catch((e: unknown) => setError(errorText(e)));
          }}
        />
      ) : (
        <div class="message__row">
          <div class={`message__bubble${message.deleted ? ' message__bubble--deleted' : ''}`} title={new Date(message.created_at).toLocaleString()}>
            {message.deleted ? <span class="message__deleted">This message was deleted</span> : <span class="message__text">{message.content}</span>}
            {message.edited_at && !message.deleted ? <span class="message__edited"> (edited)</span> : null}
          </div>
          {own && !message.deleted && mode === 'view' ? (
            <div class="message__actions">
              <button type="button" class="button button--ghost button--tiny" onClick={() => setMode('edit')}>
                Edit
              </button>
              <button type="button" class="button button--ghost button--tiny" onClick={() => setMode('confirm-delete')}>
                Delete
              </button>
            </div>
          ) : null}
        </div>
      )}
      {mode === 'confirm-delete' ? (
        <div class="message__confirm" role="group" aria-label="Confirm delete">
          <span>Delete this message for everyone?</span>
          <button type="button" class="button button--danger button--tiny" onClick={remove}>
            Yes, delete
          </button>
          <button type="button" class="button button--ghost button--tiny" onClick={() => setMode('view')}>
            Cancel
          </button>
        </div>
      ) : null}
      {error ? (
        <p class="message__status message__status--error" role="alert">
          {error}
        </p>
      ) : null}
      {seenBy !== null && seenBy.length > 0 ? (
        <p class="message__status message__receipt">Seen by {listNames(seenBy)}</p>
      ) : seenBy !== null && own ? (
        <p class="message__status">Sent</p>
      ) : null}
    </li>
  );
}

function EditForm({ message, onDone }: { message: Message; onDone: (content: string | null) => void }) {
  const [text, setText] = useState(message.content);
  const input = useRef<HTMLTextAreaElement>(null);
  useEffect(() => input.current?.focus(), []);
  const problem = contentProblem(text);
  const invalid = problem !== null || text.trim().length === 0;
  return (
    <form
      class="message__edit"
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid) onDone(text);
      }}
    >
      <textarea
        aria-label="Edit text"
        value={text}
        rows={2}
        ref={input}
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') onDone(null);
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            if (!invalid) onDone(text);
          }
        }}
      />
      {problem ? <p class="message__status message__status--error">{problem}</p> : null}
      <div class="message__edit-actions">
        <button type="submit" class="button button--primary button--tiny" disabled={invalid}>
          Save
        </button>
        <button type="button" class="button button--ghost button--tiny" onClick={() => onDone(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
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
          <span class="message__text">{pending.content}</span>
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
