/** Tells the user when live updates are interrupted, and when they are back. */
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';

export function ConnectionBanner({ store }: { store: ChatStore }) {
  const { state: connection, wasDisconnected } = useAtom(store.connection.view);
  let text: string | null = null;
  if (connection === 'reconnecting') text = 'Connection lost. Reconnecting…';
  else if (connection === 'syncing' && wasDisconnected) text = 'Reconnected. Catching up…';
  else if (connection === 'connecting') text = 'Connecting…';
  else if (connection === 'closed') text = 'Disconnected.';
  return (
    <div class="banner-slot" role="status" aria-live="polite">
      {text ? (
        <div class={`banner${connection === 'closed' || connection === 'reconnecting' ? ' banner--warn' : ''}`}>
          <span class="banner__dot" aria-hidden="true" />
          <span>{text}</span>
          {connection === 'closed' ? (
            <button type="button" class="button button--small" onClick={() => void store.connect()}>
              Reconnect
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
