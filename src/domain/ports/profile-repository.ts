/** Profiles and the directory (docs/API.md, "Profiles", "Finding people"). */
import type { Member, User } from '@pneumatic/protocol';

/** Fields to set; a field left out stays as it is, null clears it. */
export interface ProfileChanges {
  display_name?: string | null;
  status_text?: string | null;
  /** The storage key of a new avatar already stored, or null to remove the avatar. */
  avatar_key?: string | null;
}

/** A `member.updated` event appended for a profile change in one conversation of the user. */
export interface ProfileAnnouncement {
  conversation_id: string;
  event_seq: number;
  member: Member;
}

export interface ProfileUpdate {
  user: User;
  /** The user's new user_seq (the change is user-scoped for their own devices). */
  user_seq: number;
  /** One per conversation the user is in, when the display name or avatar changed (what members show). */
  announcements: ProfileAnnouncement[];
  /** The avatar's previous storage key when this change replaced or removed it: the caller deletes the file. */
  replaced_avatar_key: string | null;
}

/** A place in the directory's order: a user at their first term matching the query. */
export interface DirectoryPosition {
  term: string;
  username_key: string;
}

export interface DirectorySearch {
  /** The folded query (domain/profiles/search-terms.ts). */
  prefix: string;
  limit: number;
  /** Only users after this place (the previous page's last), in (term, username_key) order. */
  after: DirectoryPosition | null;
  /** With DIRECTORY_VISIBILITY=shared: only this user and those who share a conversation with them. */
  shared_with: string | null;
}

export interface DirectoryPage {
  users: User[];
  /** The last user's place when there are more, else null. */
  last: DirectoryPosition | null;
}

export interface ProfileRepository {
  /** Applies the changes in one transaction; null when they change nothing (nothing written, no user_seq taken). */
  update(userId: string, changes: ProfileChanges, at: string): Promise<ProfileUpdate | null>;
  /**
   * Users with a search term starting with `prefix`, each once, ordered by their first such
   * term (code-point order), then by username_key.
   */
  search(query: DirectorySearch): Promise<DirectoryPage>;
  /** The users among `ids` (at most a few hundred), in no particular order. */
  findByIds(ids: readonly string[]): Promise<User[]>;
}
