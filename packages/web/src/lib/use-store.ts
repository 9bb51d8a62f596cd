/** Re-renders the calling component whenever the store changes. */
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from './chat-store.js';

export function useStore(store: ChatStore): void {
  const [, setVersion] = useState(0);
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), [store]);
}
