/**
 * Profiles and the directory in the in-memory Store fake, with the SQL store's semantics
 * (src/store/profiles/profile.repository.ts): a change that changes nothing writes nothing and
 * takes no user_seq; a change of what members show (display name, avatar) logs `member.updated`
 * in each of the user's conversations; the directory matches folded term prefixes in code-point
 * order and lists by username_key.
 */
import type { User } from '@pneumatic/protocol';
import type { DirectoryPage, DirectorySearch, ProfileChanges, ProfileRepository, ProfileUpdate } from '../../../src/domain/ports/profile-repository.js';
import { prefixUpperBound, searchTermsOf } from '../../../src/domain/profiles/search-terms.js';
import { byCodePoint } from '../../../src/store/repositories/reaction-reads.js';
import { toUser, type MemoryTables, type UserRow } from './memory-tables.js';

/** The users.username_key column. */
const usernameKey = (user: UserRow) => user.username.toLowerCase();

export class InMemoryProfileRepository implements ProfileRepository {
  constructor(private readonly tables: MemoryTables) {}

  async update(userId: string, changes: ProfileChanges, at: string): Promise<ProfileUpdate | null> {
    const row = this.tables.users.get(userId);
    if (!row) return null;
    const before = { display_name: row.display_name, status_text: row.status_text, avatar_key: row.avatar_key };
    const after = { ...before, ...changes };
    const shownChanged = after.display_name !== before.display_name || after.avatar_key !== before.avatar_key;
    if (!shownChanged && after.status_text === before.status_text) return null;

    // The row first, so the announcements' members show the new profile, as the SQL store reads them after its update.
    Object.assign(row, after);
    const userSeq = this.tables.bumpUserSeq(userId);
    // By conversation id, the order the SQL store locks them in.
    const conversationIds = shownChanged ? this.tables.members.filter((m) => m.user_id === userId).map((m) => m.conversation_id).sort() : [];
    const announcements = conversationIds.map((conversationId) => {
      const eventSeq = this.tables.logEvent(conversationId, 'member.updated', userId, at, { user_id: userId });
      return { conversation_id: conversationId, event_seq: eventSeq, member: this.tables.toMember(this.tables.member(conversationId, userId)!) };
    });
    const replaced = before.avatar_key !== null && before.avatar_key !== after.avatar_key ? before.avatar_key : null;
    return { user: toUser(row), user_seq: userSeq, announcements, replaced_avatar_key: replaced };
  }

  /**
   * The terms are derived from the row at each search rather than kept in a table: the SQL
   * store rewrites its user_search_terms with the same function whenever the display name
   * changes, so the two always agree.
   */
  async search(query: DirectorySearch): Promise<DirectoryPage> {
    const upper = prefixUpperBound(query.prefix);
    const inRange = (term: string) => byCodePoint(term, query.prefix) >= 0 && byCodePoint(term, upper) < 0;
    const visible = query.shared_with === null ? null : this.sharingWith(query.shared_with);
    const after = query.after;
    // Each user at their first matching term, ordered by (term, username_key): the SQL store's index order.
    const placed = [...this.tables.users.values()]
      .filter((u) => visible === null || visible.has(u.id))
      .flatMap((u) => {
        const first = searchTermsOf(u.username, u.display_name).filter(inRange).sort(byCodePoint)[0];
        return first === undefined ? [] : [{ user: u, term: first, key: usernameKey(u) }];
      })
      .filter((p) => after === null || byCodePoint(p.term, after.term) > 0 || (p.term === after.term && byCodePoint(p.key, after.username_key) > 0))
      .sort((a, b) => byCodePoint(a.term, b.term) || byCodePoint(a.key, b.key));
    const page = placed.slice(0, query.limit);
    const last = page[page.length - 1];
    return { users: page.map((p) => toUser(p.user)), last: placed.length > query.limit && last ? { term: last.term, username_key: last.key } : null };
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    return [...new Set(ids)].flatMap((id) => {
      const row = this.tables.users.get(id);
      return row ? [toUser(row)] : [];
    });
  }

  /** The user and everyone who shares a conversation with them. */
  private sharingWith(userId: string): Set<string> {
    const mine = new Set(this.tables.members.filter((m) => m.user_id === userId).map((m) => m.conversation_id));
    return new Set([userId, ...this.tables.members.filter((m) => mine.has(m.conversation_id)).map((m) => m.user_id)]);
  }
}
