/** A hole in the loaded history (after a jump to a message): a button that loads the messages after it. */
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';

export function HistoryGap({ store, conversationId, after }: { store: ChatStore; conversationId: string; after: number }) {
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = () => {
    setLoading(true);
    store.messages.loadNewer(conversationId, after).then(
      () => setLoading(false),
      (e: unknown) => {
        setLoading(false);
        setError(errorText(e));
      },
    );
  };
  return (
    <li class="history-gap">
      <button type="button" class="button button--ghost button--small" onClick={load} disabled={loading}>
        {loading ? 'Loading…' : 'Load newer messages'}
      </button>
      {error ? <span class="message__status message__status--error">{error}</span> : null}
    </li>
  );
}
