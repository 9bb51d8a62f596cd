/**
 * Reactions on Kysely, both dialects. A change takes the conversation's next event_seq first:
 * that locks the conversation's counter row until commit (docs/architecture.md, "The change
 * feed"), so concurrent changes to one conversation's reactions run one after the other, each
 * seeing what the previous one committed. One that then finds nothing to do (the reaction is
 * already there, or not there to remove) rolls back, returning its number: no gap, no event.
 *
 * On SQLite the changes go to the writer thread instead (sqlite/sqlite-reaction-writer.ts, same
 * rules): there a transaction on the main thread would block its event loop for every commit's
 * fsync, and wait for the database's one write lock beside the writer thread's batches.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ReactionUsers } from '@pneumatic/protocol';
import type { ReactionInput, ReactionOutcome, ReactionRepository } from '../../domain/ports/repositories.js';
import { logEvent, nextEventSeq } from '../change-feed/event-log.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';
import { byCodePoint } from './reaction-reads.js';

/** Thrown inside the transaction to roll it back (returning its event_seq) with an outcome that changed nothing. */
class Unchanged extends Error {
  constructor(readonly outcome: ReactionOutcome) {
    super(outcome.kind);
  }
}

/** A reaction change written elsewhere than on `db`: on SQLite, the writer thread (with the sends). */
export interface ReactionChangeRequest {
  op: 'add' | 'remove';
  message_id: string;
  conversation_id: string;
  emoji: string;
  user_id: string;
  at: string;
  maxDistinct: number;
}
export type ReactionWriter = (change: ReactionChangeRequest) => Promise<ReactionOutcome>;

export class KyselyReactionRepository implements ReactionRepository {
  /** `writer`: where changes are written; null to write them in a transaction on `db` (PostgreSQL). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly writer: ReactionWriter | null = null,
  ) {}

  add(input: ReactionInput, maxDistinct: number): Promise<ReactionOutcome> {
    if (this.writer) return this.writer(changeRequest('add', input, maxDistinct));
    return this.change(input, 'reaction.added', async (trx) => {
      const { message_id } = input.message;
      if (await this.has(trx, input)) throw new Unchanged({ kind: 'unchanged' });
      const emojiThere = await trx.selectFrom('reactions').select('user_id').where('message_id', '=', message_id).where('emoji', '=', input.emoji).limit(1).executeTakeFirst();
      if (!emojiThere) {
        const row = await trx
          .selectFrom('reactions')
          .select((eb) => eb.fn.count<number | string>('emoji').distinct().as('distinct'))
          .where('message_id', '=', message_id)
          .executeTakeFirstOrThrow();
        if (Number(row.distinct) >= maxDistinct) throw new Unchanged({ kind: 'too_many' });
      }
      await trx.insertInto('reactions').values({ message_id, user_id: input.user_id, emoji: input.emoji, created_at: input.at }).execute();
    });
  }

  remove(input: ReactionInput): Promise<ReactionOutcome> {
    if (this.writer) return this.writer(changeRequest('remove', input, 0));
    return this.change(input, 'reaction.removed', async (trx) => {
      const result = await trx
        .deleteFrom('reactions')
        .where('message_id', '=', input.message.message_id)
        .where('emoji', '=', input.emoji)
        .where('user_id', '=', input.user_id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new Unchanged({ kind: 'unchanged' });
    });
  }

  async list(messageId: string): Promise<ReactionUsers[]> {
    const rows = await this.db.selectFrom('reactions').select(['emoji', 'user_id', 'created_at']).where('message_id', '=', messageId).execute();
    const byTime = rows.map((r) => ({ ...r, at: toIso(r.created_at) }));
    byTime.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0) || byCodePoint(a.emoji, b.emoji) || (a.user_id < b.user_id ? -1 : 1));
    const groups = new Map<string, ReactionUsers>();
    for (const row of byTime) {
      const group = groups.get(row.emoji) ?? { emoji: row.emoji, count: 0, user_ids: [] };
      group.count += 1;
      group.user_ids.push(row.user_id);
      groups.set(row.emoji, group);
    }
    return [...groups.values()];
  }

  private async has(trx: Transaction<Database>, input: ReactionInput): Promise<boolean> {
    const row = await trx
      .selectFrom('reactions')
      .select('emoji')
      .where('message_id', '=', input.message.message_id)
      .where('emoji', '=', input.emoji)
      .where('user_id', '=', input.user_id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * One reaction change as the conversation's next event: the message must be there and not
   * deleted; `apply` changes the rows (or throws Unchanged); then the message's version moves to
   * the event_seq, the event is logged, and the emoji's count after the change is read.
   */
  private async change(input: ReactionInput, type: 'reaction.added' | 'reaction.removed', apply: (trx: Transaction<Database>) => Promise<void>): Promise<ReactionOutcome> {
    const { message_id, conversation_id } = input.message;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const eventSeq = await nextEventSeq(trx, conversation_id);
        if (eventSeq === null) throw new Unchanged({ kind: 'deleted' });
        const message = await trx
          .selectFrom('messages')
          .select('deleted_at')
          .where('message_id', '=', message_id)
          .where('conversation_id', '=', conversation_id)
          .executeTakeFirst();
        if (!message || message.deleted_at !== null) throw new Unchanged({ kind: 'deleted' });
        await apply(trx);
        const delta = type === 'reaction.added' ? 1 : -1;
        await trx
          .updateTable('messages')
          .set((eb) => ({ version: eventSeq, reaction_count: eb('reaction_count', '+', delta) }))
          .where('message_id', '=', message_id)
          .execute();
        await logEvent(trx, { conversation_id, event_seq: eventSeq, type, actor_id: input.user_id, message_id, user_id: input.user_id, emoji: input.emoji, created_at: input.at });
        const count = await trx
          .selectFrom('reactions')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .where('message_id', '=', message_id)
          .where('emoji', '=', input.emoji)
          .executeTakeFirstOrThrow();
        return { kind: 'changed' as const, event_seq: eventSeq, count: Number(count.count) };
      });
    } catch (error) {
      if (error instanceof Unchanged) return error.outcome;
      throw error;
    }
  }
}

/** Only the message's ids: the input's message may be a whole Message, which need not cross to the writer thread. */
function changeRequest(op: 'add' | 'remove', input: ReactionInput, maxDistinct: number): ReactionChangeRequest {
  const { message_id, conversation_id } = input.message;
  return { op, message_id, conversation_id, emoji: input.emoji, user_id: input.user_id, at: input.at, maxDistinct };
}
