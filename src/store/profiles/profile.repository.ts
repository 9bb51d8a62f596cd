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
 * row is written first. Only the fields asked for are written, so two changes of different
 * fields at once both stand.
 */
import type { Kysely, Transaction } from 'kysely';
import type { User } from '@pneumatic/protocol';
import { searchTermsOf } from '../../domain/profiles/search-terms.js';
import { searchDirectory } from './directory-search.js';
import type { DirectoryPage, DirectorySearch, ProfileChanges, ProfileRepository, ProfileUpdate } from '../../domain/ports/profile-repository.js';
import { bumpUserSeqs, changeOrNothing, logEvent, nextEventSeq, NothingChanged } from '../change-feed/event-log.js';
import type { Dialect } from '../dialect.js';
import { membersOf } from '../repositories/conversation-rows.js';
import { USER_COLUMNS, toUser, type UserRow } from '../rows.js';
import type { Database } from '../schema.js';

type Tx = Transaction<Database>;

/** The plan (which conversations to announce in) no longer fits the profile read under the lock. */
class PlanOutdated extends Error {}

/** Whether `changes` change what members show of the user (display name, avatar). */
function changesShown(profile: UserRow, changes: ProfileChanges): boolean {
  return (changes.display_name !== undefined && changes.display_name !== profile.display_name) || (changes.avatar_key !== undefined && changes.avatar_key !== profile.avatar_key);
}

function readProfile(trx: Tx, userId: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').select(USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
}

export class KyselyProfileRepository implements ProfileRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async update(userId: string, changes: ProfileChanges, at: string): Promise<ProfileUpdate | null> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await changeOrNothing(this.db, (trx) => this.apply(trx, userId, changes, at));
      } catch (error) {
        if (!(error instanceof PlanOutdated) || attempt === 3) throw error;
      }
    }
  }

  /**
   * On PostgreSQL the profile is first read without a lock (to know which conversations to
   * lock), then again under the user's row lock: when another change committed in between and
   * whether members' view changes is no longer what was planned, the transaction is rolled back
   * (returning any event_seq taken) and planned again.
   */
  private async apply(trx: Tx, userId: string, changes: ProfileChanges, at: string): Promise<ProfileUpdate> {
    let userSeq = this.dialect === 'sqlite' ? await this.bumpUserSeq(trx, userId) : 0;
    const peek = await readProfile(trx, userId);
    if (!peek) throw new NothingChanged();
    const planned = changesShown(peek, changes);
    const eventSeqs: [string, number][] = [];
    for (const conversationId of planned ? await this.conversationsOf(trx, userId) : []) {
      const eventSeq = await nextEventSeq(trx, conversationId);
      if (eventSeq !== null) eventSeqs.push([conversationId, eventSeq]);
    }
    let before = peek;
    if (this.dialect === 'postgres') {
      userSeq = await this.bumpUserSeq(trx, userId);
      before = (await readProfile(trx, userId)) ?? peek;
      if (changesShown(before, changes) !== planned) throw new PlanOutdated();
    }
    const after: UserRow = { ...before, ...changes };
    if (!planned && after.status_text === before.status_text) throw new NothingChanged();

    // Only the fields asked for: a concurrent change of another field is not written over.
    await trx.updateTable('users').set(changes).where('id', '=', userId).execute();
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
  }

  search(query: DirectorySearch): Promise<DirectoryPage> {
    return searchDirectory(this.db, this.dialect, query);
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
    const usernameKey = username.toLowerCase();
    await trx.insertInto('user_search_terms').values(terms.map((term) => ({ term, username_key: usernameKey, user_id: userId }))).execute();
  }
}
