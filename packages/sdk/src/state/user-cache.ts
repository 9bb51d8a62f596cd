/**
 * What the session knows of users' profiles (docs/API.md, "Profiles"): username, display name
 * and avatar of everyone seen as a member of a conversation (current or former, so old messages
 * keep a name), of directory results and of `getUsers` lookups, and your own profile with its
 * status text. A client shows names from here instead of asking the server once per user.
 *
 * Members and looked-up users carry the state as of when they were read, and arrive in order per
 * source, so the latest offer wins. Your own profile also comes from `user.updated` frames and a
 * sync's `me`, which are not ordered among themselves: those apply only when newer by user_seq.
 */
import type { Member, User } from '../types.js';

/** A user as last seen: from a Member (no status text) or a User. */
export interface CachedUser {
  readonly id: string;
  readonly username: string;
  readonly is_bot: boolean;
  /** null: none set (show the username). */
  readonly display_name: string | null;
  /** A path on the server (resolve it with `client.resolveUrl`); null: none (show initials). */
  readonly avatar_url: string | null;
  /** Known from a User only (your own profile, `GET /users`); undefined for someone seen only as a member. */
  readonly status_text?: string | null;
}

export class UserCache {
  private readonly byId = new Map<string, CachedUser>();
  /** The user_seq your own profile was last set at by a `user.updated` frame or a sync. */
  private ownSeq = -1;

  /** `onChange` hears the id of each user whose cached profile changed. */
  constructor(private readonly onChange: (userId: string) => void = () => {}) {}

  get(userId: string): CachedUser | undefined {
    return this.byId.get(userId);
  }

  /** The name to show for a user: the display name, else the username; undefined for someone never seen. */
  displayName(userId: string): string | undefined {
    const user = this.byId.get(userId);
    return user ? (user.display_name ?? user.username) : undefined;
  }

  /** Of `userIds`, those never seen: the ones worth a `client.getUsers` (which adds them here). */
  missing(userIds: Iterable<string>): string[] {
    return [...new Set(userIds)].filter((id) => !this.byId.has(id));
  }

  /** A conversation's member, as a Conversation, snapshot or `member.*` event carries it. */
  offerMember(member: Member): void {
    const known = this.byId.get(member.user_id);
    // `?? null`: a server from before profiles sends neither field.
    const profile = { id: member.user_id, username: member.username, is_bot: member.is_bot, display_name: member.display_name ?? null, avatar_url: member.avatar_url ?? null };
    this.put(known?.status_text !== undefined ? { ...profile, status_text: known.status_text } : profile);
  }

  /** A User from the server (`GET /users`, the directory, your own profile's answers). */
  offerUser(user: User): void {
    const { id, username, is_bot } = user;
    this.put({ id, username, is_bot, display_name: user.display_name ?? null, avatar_url: user.avatar_url ?? null, status_text: user.status_text ?? null });
  }

  /** Your own profile from a `user.updated` frame or a sync's `me` (as new as `userSeq` or newer): applied when newer than the last one. */
  applyOwn(user: User, userSeq: number): void {
    if (userSeq <= this.ownSeq) return;
    this.ownSeq = userSeq;
    this.offerUser(user);
  }

  private put(user: CachedUser): void {
    if (same(this.byId.get(user.id), user)) return;
    this.byId.set(user.id, user);
    this.onChange(user.id);
  }
}

function same(a: CachedUser | undefined, b: CachedUser): boolean {
  return (
    a !== undefined &&
    a.username === b.username &&
    a.is_bot === b.is_bot &&
    a.display_name === b.display_name &&
    a.avatar_url === b.avatar_url &&
    a.status_text === b.status_text
  );
}
