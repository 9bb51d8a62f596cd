/**
 * A message's pin: "Pinned" beside it while it is pinned (for everyone, from the change feed),
 * and a Pin / Unpin button, shown on hover as the other message actions and always reachable
 * with Tab. Any member may pin any message and unpin any pin (docs/API.md, "Pins").
 */
import type { Message } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { useAtom } from '../lib/use-atom.js';

export function MessagePin({ store, message }: { store: ChatStore; message: Message }) {
  const pins = useAtom(store.pins.of(message.conversation_id));
  const pinned = pins.some((p) => p.message_id === message.message_id);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const toggle = () => {
    if (busy) return;
    setBusy(true);
    setError(null);
    store.pins
      .setPinned(message, !pinned)
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };

  return (
    <>
      <div class="message__actions message__actions--pin">
        <button type="button" class="button button--ghost button--tiny" onClick={toggle} aria-busy={busy} aria-label={pinned ? 'Unpin message' : 'Pin message'}>
          {pinned ? 'Unpin' : 'Pin'}
        </button>
      </div>
      {pinned ? (
        <span class="message__pinned">
          <span aria-hidden="true">📌 </span>Pinned
        </span>
      ) : null}
      {error ? (
        <span class="message__status message__status--error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
}
