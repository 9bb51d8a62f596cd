/**
 * Pins on Kysely, both dialects. A change takes the conversation's next event_seq first: that
 * locks the conversation's counter row until commit (docs/architecture.md, "The change feed"),
 * so concurrent pins in one conversation run one after the other, each seeing what the previous
 * one committed: the cap holds, and a repeat finds the row there. One that then finds nothing to
 * do rolls back, returning its number: no gap, no event. A message delete takes the same lock
 * before it removes the pin, so a pin never survives its message.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Pin, PinRef } from '@pneumatic/protocol';
import type { PinInput, PinOutcome, PinRepository } from '../../domain/ports/repositories.js';
import { logEvent, nextEventSeq } from '../change-feed/event-log.js';
import { toIso, toMessage } from '../rows.js';
import type { Database } from '../schema.js';
import { reactionsOf } from './reaction-reads.js';

/** Thrown inside the transaction to roll it back (returning its event_seq) with an outcome that changed nothing. */
class Unchanged extends Error {
  constructor(readonly outcome: PinOutcome) {
    super(outcome.kind);
  }
}

export class KyselyPinRepository implements PinRepository {
  constructor(private readonly db: Kysely<Database>) {}

  pin(input: PinInput, max: number): Promise<PinOutcome> {
    return this.change(input, 'message.pinned', async (trx, eventSeq) => {
      const { message_id, conversation_id } = input.message;
      const message = await trx
        .selectFrom('messages')
        .select('deleted_at')
        .where('message_id', '=', message_id)
        .where('conversation_id', '=', conversation_id)
        .executeTakeFirst();
      if (!message || message.deleted_at !== null) throw new Unchanged({ kind: 'deleted' });
      const pins = await trx.selectFrom('pins').select('message_id').where('conversation_id', '=', conversation_id).execute();
      if (pins.some((p) => p.message_id === message_id)) throw new Unchanged({ kind: 'unchanged' });
      if (pins.length >= max) throw new Unchanged({ kind: 'too_many' });
      await trx.insertInto('pins').values({ conversation_id, message_id, pinned_by: input.user_id, pinned_at: input.at, event_seq: eventSeq }).execute();
    });
  }

  unpin(input: PinInput): Promise<PinOutcome> {
    return this.change(input, 'message.unpinned', async (trx) => {
      const result = await trx
        .deleteFrom('pins')
        .where('conversation_id', '=', input.message.conversation_id)
        .where('message_id', '=', input.message.message_id)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) throw new Unchanged({ kind: 'unchanged' });
    });
  }

  /** At most PINS_MAX_PER_CONVERSATION rows: one statement for the pins and their messages, one for their reactions. */
  async list(conversationId: string): Promise<Pin[]> {
    const rows = await this.db
      .selectFrom('pins as p')
      .innerJoin('messages as m', 'm.message_id', 'p.message_id')
      .selectAll('m')
      .select(['p.pinned_by', 'p.pinned_at'])
      .where('p.conversation_id', '=', conversationId)
      .orderBy('p.event_seq', 'desc')
      .execute();
    const reactions = await reactionsOf(this.db, rows.map((r) => r.message_id));
    return rows.map((row) => ({ message: toMessage(row, reactions.get(row.message_id)), pinned_by: row.pinned_by, pinned_at: toIso(row.pinned_at) }));
  }

  /** One pin change as the conversation's next event: `apply` changes the rows (or throws Unchanged), then the event is logged. */
  private async change(
    input: PinInput,
    type: 'message.pinned' | 'message.unpinned',
    apply: (trx: Transaction<Database>, eventSeq: number) => Promise<void>,
  ): Promise<PinOutcome> {
    const { message_id, conversation_id } = input.message;
    try {
      return await this.db.transaction().execute(async (trx) => {
        const eventSeq = await nextEventSeq(trx, conversation_id);
        if (eventSeq === null) throw new Unchanged({ kind: 'deleted' });
        await apply(trx, eventSeq);
        await logEvent(trx, { conversation_id, event_seq: eventSeq, type, actor_id: input.user_id, message_id, user_id: input.user_id, created_at: input.at });
        return { kind: 'changed' as const, event_seq: eventSeq };
      });
    } catch (error) {
      if (error instanceof Unchanged) return error.outcome;
      throw error;
    }
  }
}

/** A conversation's pins without their messages, newest first: what a change-feed snapshot carries. */
export async function pinRefsOf(db: Kysely<Database>, conversationId: string): Promise<PinRef[]> {
  const rows = await db
    .selectFrom('pins')
    .select(['message_id', 'pinned_by', 'pinned_at'])
    .where('conversation_id', '=', conversationId)
    .orderBy('event_seq', 'desc')
    .execute();
  return rows.map((r) => ({ message_id: r.message_id, pinned_by: r.pinned_by, pinned_at: toIso(r.pinned_at) }));
}
