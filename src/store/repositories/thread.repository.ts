/**
 * Threads on Kysely (docs/API.md, "Replies and threads"): replies (thread-append.ts), a thread's
 * pages, and each user's following of and read position in threads (`thread_reads`).
 */
import { sql, type Kysely } from 'kysely';
import type { FollowedThread, HistoryPageJson, HistoryQuery, MessageRef, NewReply, ReplyOutcome, ThreadRepository } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';
import { toMessage } from '../rows.js';
import type { Database } from '../schema.js';
import { readJsonPage } from './json-page.js';
import { THREAD_JSON_SQL } from './message-history.js';
import { reactionsOf } from './reaction-reads.js';
import { appendReply } from './thread-append.js';

/** Writes a reply elsewhere than on `db`: on SQLite, the writer thread (with the plain sends). */
export type ReplyWriter = (reply: NewReply) => Promise<ReplyOutcome>;

export class KyselyThreadRepository implements ThreadRepository {
  /**
   * `writer`: where replies are written; null to write them in a transaction on `db`
   * (PostgreSQL, whose pooled connections wait for the conversation's row lock, not for a
   * database-wide write lock).
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly writer: ReplyWriter | null = null,
  ) {}

  /** The messages come back with their reactions (a stored one may have some; a root may). */
  async appendReply(reply: NewReply): Promise<ReplyOutcome> {
    if (!this.writer) return appendReply(this.db, this.dialect, reply);
    const outcome = await this.writer(reply);
    if (outcome.kind === 'refused') return outcome;
    const subject = outcome.kind === 'existing' ? outcome.message : outcome.root;
    if (!subject) return outcome;
    const reactions = (await reactionsOf(this.db, [subject.message_id])).get(subject.message_id);
    if (!reactions || reactions.reactions.length === 0) return outcome;
    const withReactions = { ...subject, reactions: reactions.reactions };
    return outcome.kind === 'existing' ? { kind: 'existing', message: withReactions } : { ...outcome, root: withReactions };
  }

  pageJson(rootId: string, query: HistoryQuery): Promise<HistoryPageJson> {
    return readJsonPage(this.db, this.dialect, THREAD_JSON_SQL[this.dialect], rootId, query);
  }

  /**
   * One upsert: the position is min(seq, the thread's last reply) and only ever moves forward
   * (the conflict's WHERE), so two devices marking at once leave the higher one. A first mark
   * does not follow the thread.
   */
  async markRead(root: MessageRef, userId: string, seq: number): Promise<{ last_read_seq: number; moved: boolean }> {
    const last = await this.db
      .selectFrom('messages')
      .select((eb) => eb.fn.max('seq').as('seq'))
      .where('thread_root_id', '=', root.message_id)
      .executeTakeFirst();
    const target = Math.min(seq, Number(last?.seq ?? 0));
    const moved = await this.db
      .insertInto('thread_reads')
      .values({ user_id: userId, message_id: root.message_id, conversation_id: root.conversation_id, following: 0, last_read_seq: target })
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'message_id'])
          .doUpdateSet({ last_read_seq: target })
          .where('thread_reads.last_read_seq', '<', target),
      )
      .returning('last_read_seq')
      .executeTakeFirst();
    if (moved) return { last_read_seq: Number(moved.last_read_seq), moved: target > 0 };
    const current = await this.db
      .selectFrom('thread_reads')
      .select('last_read_seq')
      .where('user_id', '=', userId)
      .where('message_id', '=', root.message_id)
      .executeTakeFirst();
    return { last_read_seq: Number(current?.last_read_seq ?? 0), moved: false };
  }

  async setFollowing(root: MessageRef, userId: string, following: boolean): Promise<void> {
    const flag = following ? 1 : 0;
    await this.db
      .insertInto('thread_reads')
      .values({ user_id: userId, message_id: root.message_id, conversation_id: root.conversation_id, following: flag, last_read_seq: 0 })
      .onConflict((oc) => oc.columns(['user_id', 'message_id']).doUpdateSet({ following: flag }))
      .execute();
  }

  /**
   * Unread: replies after the read position by someone else, not deleted (the thread's partial
   * index serves the count). Only threads of conversations the user is still a member of.
   */
  async followed(userId: string, limit: number): Promise<FollowedThread[]> {
    const rows = await this.db
      .selectFrom('thread_reads as t')
      .innerJoin('members as mb', (join) => join.onRef('mb.conversation_id', '=', 't.conversation_id').onRef('mb.user_id', '=', 't.user_id'))
      .innerJoin('messages as m', 'm.message_id', 't.message_id')
      .selectAll('m')
      .select('t.last_read_seq')
      .select((eb) =>
        eb
          .selectFrom('messages as r')
          .select((inner) => inner.fn.countAll<number | string>().as('n'))
          .whereRef('r.thread_root_id', '=', 't.message_id')
          .whereRef('r.seq', '>', 't.last_read_seq')
          .whereRef('r.sender_id', '<>', 't.user_id')
          .where('r.deleted_at', 'is', null)
          .as('unread_count'),
      )
      .where('t.user_id', '=', userId)
      .where('t.following', '=', 1)
      .orderBy(sql`coalesce(m.thread_last_reply_at, m.created_at)`, 'desc')
      .orderBy('m.message_id')
      .limit(limit)
      .execute();
    const reactions = await reactionsOf(this.db, rows.map((row) => row.message_id));
    return rows.map(({ last_read_seq, unread_count, ...row }) => ({
      root: toMessage(row, reactions.get(row.message_id)),
      last_read_seq: Number(last_read_seq),
      unread_count: Number(unread_count ?? 0),
    }));
  }
}
