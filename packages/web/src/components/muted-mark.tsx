/** A struck-through bell beside a muted conversation's name, read as "(muted)"; gone when the mute ends. */
import type { ChatStore } from '../lib/chat-store.js';
import { msUntilUnmuted, mutedLabel } from '../lib/mute.js';
import { useAtom } from '../lib/use-atom.js';
import { useRerenderIn } from '../lib/use-rerender-in.js';

export function MutedMark({ store, conversationId }: { store: ChatStore; conversationId: string }) {
  const setting = useAtom(store.notify.settings.conversation(conversationId));
  const now = new Date();
  useRerenderIn(msUntilUnmuted(setting?.muted_until, now));
  const label = mutedLabel(setting?.muted_until, now);
  if (!label) return null;
  return (
    <span class="muted-mark" title={label} data-muted="true">
      <BellIcon off />
      <span class="visually-hidden">(muted)</span>
    </span>
  );
}

/** A bell, struck through when `off`. Decorative: its meaning is always written beside it. */
export function BellIcon({ off = false }: { off?: boolean }) {
  return (
    <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
      <path d="M5 14V9a5 5 0 0 1 10 0v5l1.5 1.5h-13L5 14ZM8.5 17.5h3" />
      {off ? <path d="M3 3l14 14" /> : null}
    </svg>
  );
}
