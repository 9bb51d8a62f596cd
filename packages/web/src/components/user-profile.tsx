/**
 * A user as the app shows them (docs/API.md, "Profiles"): their avatar, the name to show (the
 * display name, else the username) and their status text, each following that user's profile
 * alone, so a name changed on another device shows here at once and re-renders nothing else.
 */
import type { CachedUser } from '@pneumatic/client';
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';
import { Avatar } from './avatar.js';

/** The name to show for a profile; "Someone" while it is not known yet. */
export function shownName(user: CachedUser | undefined): string {
  return user ? (user.display_name ?? user.username) : 'Someone';
}

export function UserAvatar({ store, userId, small = false }: { store: ChatStore; userId: string; small?: boolean }) {
  const user = useAtom(store.users.of(userId));
  return <Avatar name={shownName(user)} small={small} src={user?.avatar_url ? store.client.resolveUrl(user.avatar_url) : null} />;
}

export function UserName({ store, userId }: { store: ChatStore; userId: string }) {
  return <>{shownName(useAtom(store.users.of(userId)))}</>;
}

/**
 * The status text the user set ("On holiday until Monday"), muted on one line, cut short with the
 * whole of it in the tooltip; nothing when none is set, or not known yet (members carry none:
 * `store.users.refresh` reads it).
 */
export function UserStatus({ store, userId }: { store: ChatStore; userId: string }) {
  const status = useAtom(store.users.of(userId))?.status_text;
  if (!status) return null;
  return (
    <span class="user-status muted" title={status}>
      {status}
    </span>
  );
}
