/**
 * Profiles and the directory on Kysely, both dialects (migration 0020).
 *
 * A profile change is one transaction: the user's row and search terms, the user's next
 * user_seq, and, when what members show changed (display name, avatar), a `member.updated`
 * event in each of the user's conversations. Locks are taken in the order every change takes
 * them, conversations (by id) before users (conversation.repository.ts), so a profile change and
 * a member added at the same moment cannot deadlock on PostgreSQL. SQLite holds one write lock
 * for the whole database, but a transaction there must write before it reads (a read followed
 * by a write is refused when another connection committed in between), so there the user's
 * row is written first.
 */
import type { Kysely, Transaction } from 'kysely';
import type { User } from '@pneumatic/protocol';
import { searchTermsOf } from '../../domain/profiles/search-terms.js';
import { prefixUpperBound } from '../../domain/profiles/search-terms.js';
import type { DirectoryPage, DirectorySearch, ProfileChanges, ProfileRepository, ProfileUpdate } from '../../domain/ports/profile-repository.js';
import { bumpUserSeqs, changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Dialect } from '../dialect.js';
import { membersOf } from '../repositories/conversation-rows.js';
import { USER_COLUMNS, toUser, type UserRow } from '../rows.js';
import type { Database } from '../schema.js';

type Tx = Transaction<Database>;

export class KyselyProfileRepository implements ProfileRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async update(userId: string, changes: ProfileChanges, at: string): Promise<ProfileUpdate | null> {
    return changeOrNothing(this.db, async (trx) => {
      let userSeq = this.dialect === 'sqlite' ? await this.bumpUserSeq(trx, userId) : 0;
      const before = await trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
      if (!before) throw new NothingChanged();
      const after: UserRow = { ...before, ...changes };
      const shownChanged = after.display_name !== before.display_name || after.avatar_key !== before.avatar_key;
      if (!shownChanged && after.status_text === before.status_text) throw new NothingChanged();

      const conversationIds = shownChanged ? await this.conversationsOf(trx, userId) : [];
      const eventSeqs: [string, number][] = [];
      for (const conversationId of conversationIds) {
        const eventSeq = await nextEventSeq(trx, conversationId);
        if (eventSeq !== null) eventSeqs.push([conversationId, eventSeq]);
      }
      if (this.dialect === 'postgres') userSeq = await this.bumpUserSeq(trx, userId);

      await trx
        .updateTable('users')
        .set({ display_name: after.display_name, status_text: after.status_text, avatar_key: after.avatar_key })
        .where('id', '=', userId)
        .execute();
      if (after.display_name !== before.display_name) await this.replaceSearchTerms(trx, userId, before.username, after.display_name);
      for (const [conversationId, eventSeq] of eventSeqs) {
        await logEvent(trx, { conversation_id: conversationId, event_seq: eventSeq, type: 'member.updated', actor_id: userId, user_id: userId, created_at: at });
      }
      const members = await membersOf(trx, eventSeqs.map(([id]) => id), userId);
      const announcements = eventSeqs.flatMap(([conversationId, eventSeq]) => {
        const member = members.get(conversationId)?.[0];
        return member ? [{ conversation_id: conversationId, event_seq: eventSeq, member }] : [];
      });
      const replaced = before.avatar_key !== null && before.avatar_key !== after.avatar_key ? before.avatar_key : null;
      return { user: toUser(after), user_seq: userSeq, announcements, replaced_avatar_key: replaced };
    });
  }

  async search(query: DirectorySearch): Promise<DirectoryPage> {
    let select = this.db
      .selectFrom('users as u')
      .select(['u.id', 'u.username', 'u.created_at', 'u.is_bot', 'u.display_name', 'u.status_text', 'u.avatar_key', 'u.username_key'])
      .where('u.id', 'in', (eb) =>
        eb.selectFrom('user_search_terms').select('user_id').where('term', '>=', query.prefix).where('term', '<', prefixUpperBound(query.prefix)),
      );
    if (query.after_username_key !== null) select = select.where('u.username_key', '>', query.after_username_key);
    const me = query.shared_with;
    if (me !== null) {
      select = select.where((eb) =>
        eb.or([
          eb('u.id', '=', me),
          eb('u.id', 'in', eb.selectFrom('members as mine').innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id').select('theirs.user_id').where('mine.user_id', '=', me)),
        ]),
      );
    }
    const rows = await select.orderBy('u.username_key').limit(query.limit + 1).execute();
    const page = rows.slice(0, query.limit);
    return { users: page.map(toUser), last_key: rows.length > query.limit ? page[page.length - 1]!.username_key : null };
  }

  async findByIds(ids: readonly string[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', 'in', ids).execute();
    return rows.map(toUser);
  }

  private async bumpUserSeq(trx: Tx, userId: string): Promise<number> {
    const seq = (await bumpUserSeqs(trx, [userId], this.dialect))[userId];
    if (seq === undefined) throw new NothingChanged();
    return seq;
  }

  /** By id: every multi-conversation change locks them in the same order. */
  private async conversationsOf(trx: Tx, userId: string): Promise<string[]> {
    const rows = await trx.selectFrom('members').select('conversation_id').where('user_id', '=', userId).orderBy('conversation_id').execute();
    return rows.map((r) => r.conversation_id);
  }

  private async replaceSearchTerms(trx: Tx, userId: string, username: string, displayName: string | null): Promise<void> {
    await trx.deleteFrom('user_search_terms').where('user_id', '=', userId).execute();
    const terms = searchTermsOf(username, displayName);
    await trx.insertInto('user_search_terms').values(terms.map((term) => ({ term, user_id: userId }))).execute();
  }
}
