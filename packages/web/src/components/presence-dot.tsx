/**
 * A user's presence as a dot on their avatar: green online, yellow away, grey offline, never by
 * colour alone (the status is written for screen readers and in the tooltip, and the shapes
 * differ: away is a ring, offline a hollow dot). Nothing while the status is unknown.
 */
import type { ChatStore } from '../lib/chat-store.js';
import { presenceLabel, presenceLabelRefreshMs } from '../lib/presence-text.js';
import { useAtom } from '../lib/use-atom.js';
import { useRerenderIn } from '../lib/use-rerender-in.js';
import { UserAvatar } from './user-profile.js';

export function PresenceDot({ store, userId }: { store: ChatStore; userId: string }) {
  const presence = useAtom(store.notify.presence.of(userId));
  const now = new Date();
  useRerenderIn(presence ? presenceLabelRefreshMs(presence, now) : null);
  if (!presence) return null;
  const label = presenceLabel(presence, now);
  return (
    <span class={`presence presence--${presence.status}`} title={label} data-presence={presence.status}>
      <span class="visually-hidden">{`(${label.toLowerCase()})`}</span>
    </span>
  );
}

/** The user's avatar with their presence dot in its corner. */
export function PresenceAvatar({ store, userId, small = false }: { store: ChatStore; userId: string; small?: boolean }) {
  return (
    <span class="presence-avatar">
      <UserAvatar store={store} userId={userId} small={small} />
      <PresenceDot store={store} userId={userId} />
    </span>
  );
}

/** The header's line for a direct message: "Online", "Away", "Last seen 5 min ago"; `fallback` while unknown. */
export function PresenceLine({ store, userId, fallback }: { store: ChatStore; userId: string; fallback: string }) {
  const presence = useAtom(store.notify.presence.of(userId));
  const now = new Date();
  useRerenderIn(presence ? presenceLabelRefreshMs(presence, now) : null);
  if (!presence) return <>{fallback}</>;
  return (
    <span class={`presence-line presence-line--${presence.status}`} data-presence={presence.status}>
      <span class="presence-line__dot" aria-hidden="true" />
      {presenceLabel(presence, now)}
    </span>
  );
}
