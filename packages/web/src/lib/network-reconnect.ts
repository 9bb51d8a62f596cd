/**
 * The browser's `online` and `offline` events: it knows the network changed before a heartbeat
 * would, so the live session drops its socket and retries at once (a closed one stays closed).
 */
import type { ConnectionStore } from './stores/connection-store.js';

/** Follows both events for the session `connection` holds; returns what stops it. */
export function reconnectOnNetworkChange(connection: ConnectionStore): () => void {
  const listener = () => {
    if (connection.view.get().state !== 'closed') connection.session.get()?.reconnect();
  };
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}
