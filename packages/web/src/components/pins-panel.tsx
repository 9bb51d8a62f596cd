/**
 * The conversation's pinned messages: a header button with their count, and a panel listing them,
 * newest pin first. Which messages are pinned follows the SDK's state live (another member's pin
 * appears at once); their content comes from the history already loaded, else from
 * `GET /conversations/{id}/pins`, fetched again whenever the pins change. Choosing one scrolls
 * the history to it when it is loaded.
 */
import type { Message, Pin } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import { attachmentSummary } from '../lib/attachments.js';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { timeLabel } from '../lib/format.js';
import { useAtom } from '../lib/use-atom.js';

export const PINS_PANEL_ID = 'pins-panel';
export const PINS_BUTTON_ID = 'pins-button';
/** How long a message scrolled to from the panel stays highlighted. */
const FLASH_MS = 2_000;

export function PinsButton({ store, conversationId, expanded, onToggle }: { store: ChatStore; conversationId: string; expanded: boolean; onToggle: () => void }) {
  const count = useAtom(store.pins.of(conversationId)).length;
  return (
    <button type="button" id={PINS_BUTTON_ID} class="button button--ghost button--small" aria-expanded={expanded} aria-controls={expanded ? PINS_PANEL_ID : undefined} onClick={onToggle}>
      {count > 0 ? `Pinned (${count})` : 'Pinned'}
    </button>
  );
}

export function PinsPanel({ store, conversationId, onClose }: { store: ChatStore; conversationId: string; onClose: () => void }) {
  const refs = useAtom(store.pins.of(conversationId));
  const { messages } = useAtom(store.messages.of(conversationId));
  const [fetched, setFetched] = useState<ReadonlyMap<string, Message>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const pinnedIds = refs.map((r) => r.message_id).join(' ');

  useEffect(() => heading.current?.focus(), []);

  // Again on every pin change: a message pinned elsewhere may be one this page never loaded.
  useEffect(() => {
    let current = true;
    store.pins.list(conversationId).then(
      (pins: Pin[]) => {
        if (!current) return;
        setFetched(new Map(pins.map((p) => [p.message.message_id, p.message])));
        setError(null);
      },
      (e: unknown) => current && setError(errorText(e)),
    );
    return () => {
      current = false;
    };
  }, [store, conversationId, pinnedIds]);

  // The loaded copy is live (edits show at once); the fetched one stands in for older messages.
  const loaded = new Map(messages.map((m) => [m.message_id, m]));
  const items = refs.map((ref) => ({ ref, message: loaded.get(ref.message_id) ?? fetched.get(ref.message_id) }));

  const jumpTo = (message: Message) => {
    const element = document.querySelector<HTMLElement>(`.messages [data-seq="${message.seq}"]`);
    if (!element) return setNotice('That message is further back than the history loaded here: scroll up to load it.');
    setNotice(null);
    element.scrollIntoView({ block: 'center' });
    element.tabIndex = -1;
    element.focus({ preventScroll: true });
    element.classList.add('message--flash');
    setTimeout(() => element.classList.remove('message--flash'), FLASH_MS);
  };

  return (
    <aside
      id={PINS_PANEL_ID}
      class="pins"
      aria-labelledby="pins-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header class="pins__header">
        <h3 id="pins-heading" ref={heading} tabIndex={-1}>
          Pinned messages ({refs.length})
        </h3>
        <button type="button" class="button button--ghost button--small" onClick={onClose}>
          Close
        </button>
      </header>
      {error ? (
        <p class="message__status message__status--error" role="alert">
          {error}
        </p>
      ) : null}
      <p class="pins__notice" role="status">
        {notice}
      </p>
      {refs.length === 0 ? <p class="muted">Nothing is pinned yet. Pin a message with its “Pin” button.</p> : null}
      <ul class="pins__list">
        {items.map(({ ref, message }) => (
          <li key={ref.message_id} class="pins__item">
            {message ? (
              <button type="button" class="pins__jump" onClick={() => jumpTo(message)}>
                <span class="pins__meta">
                  <span class="pins__sender">{message.sender_id === store.me.id ? 'You' : store.users.name(message.sender_id)}</span>{' '}
                  <time dateTime={message.created_at}>{timeLabel(message.created_at)}</time>
                </span>
                <span class="pins__text">{message.deleted ? 'This message was deleted' : preview(message.content || attachmentSummary(message))}</span>
              </button>
            ) : (
              <span class="muted">Loading…</span>
            )}
            <span class="pins__by">Pinned by {ref.pinned_by === store.me.id ? 'you' : store.users.name(ref.pinned_by)}</span>
            {message ? <UnpinButton store={store} message={message} onError={setError} onDone={() => heading.current?.focus()} /> : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** `onDone`: the item goes away with its button, so focus moves (to the panel's heading). */
function UnpinButton({ store, message, onError, onDone }: { store: ChatStore; message: Message; onError: (error: string) => void; onDone: () => void }) {
  return (
    <button type="button" class="button button--ghost button--tiny" aria-label={`Unpin message: ${preview(message.content || attachmentSummary(message), 40)}`} onClick={() => store.pins.setPinned(message, false).then(onDone, (e: unknown) => onError(errorText(e)))}>
      Unpin
    </button>
  );
}

/** The message's first characters on one line (Markdown shown as typed). */
function preview(content: string, max = 140): string {
  const line = content.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
