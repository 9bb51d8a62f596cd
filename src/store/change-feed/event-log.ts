/**
 * Writing to the change feed inside a change's own transaction. `nextEventSeq` increments the
 * conversation's counter row, which locks it until commit (PostgreSQL: a row lock; SQLite: the
 * database write lock), so event_seq is gapless and commit order equals event_seq order within
 * a conversation, with any number of pooled connections or processes. A database sequence would
 * not do: its values are handed out before commit and become visible out of order.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ConversationEventType } from '@pneumatic/protocol';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';

type Tx = Transaction<Database> | Kysely<Database>;

/** The conversation's next event_seq, or null when the conversation does not exist. */
export async function nextEventSeq(trx: Tx, conversationId: string): Promise<number | null> {
  const row = await trx
    .updateTable('conversations')
    .set((eb) => ({ last_event_seq: eb('last_event_seq', '+', 1) }))
    .where('id', '=', conversationId)
    .returning('last_event_seq')
    .executeTakeFirst();
  return row ? Number(row.last_event_seq) : null;
}

export interface LoggedEvent {
  conversation_id: string;
  event_seq: number;
  type: ConversationEventType;
  actor_id: string | null;
  message_id?: string;
  user_id?: string;
  /** reaction.* events: which emoji. */
  emoji?: string;
  created_at: string;
}

export async function logEvent(trx: Tx, event: LoggedEvent): Promise<void> {
  await trx
    .insertInto('conversation_events')
    .values({ ...event, message_id: event.message_id ?? null, user_id: event.user_id ?? null, emoji: event.emoji ?? null })
    .execute();
}

/**
 * Moves each user's user_seq forward by one; returns the new values by user id.
 *
 * On PostgreSQL the rows are locked first in id order: an `UPDATE … WHERE id IN (…)` locks in
 * the order its plan visits rows (physical order on a sequential scan, which MVCC reshuffles
 * with every update), so two transactions bumping overlapping sets (two conversations created
 * at once with the same people) could each hold a row the other waits for, a deadlock. One
 * order for everyone rules that out. SQLite holds the whole database for the writer, so it has
 * no row order to get wrong.
 */
export async function bumpUserSeqs(trx: Tx, userIds: readonly string[], dialect: Dialect): Promise<Record<string, number>> {
  const seqs: Record<string, number> = {};
  const ordered = [...new Set(userIds)].sort();
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < ordered.length; i += 500) {
    const chunk = ordered.slice(i, i + 500);
    if (dialect === 'postgres') {
      await trx.selectFrom('users').select('id').where('id', 'in', chunk).orderBy('id').forNoKeyUpdate().execute();
    }
    const rows = await trx
      .updateTable('users')
      .set((eb) => ({ last_user_seq: eb('last_user_seq', '+', 1) }))
      .where('id', 'in', chunk)
      .returning(['id', 'last_user_seq'])
      .execute();
    for (const row of rows) seqs[row.id] = Number(row.last_user_seq);
  }
  return seqs;
}

/**
 * Thrown inside a transaction that took an event_seq but then found nothing to change (the
 * member already there, the message already deleted): rolling back returns the event_seq, so
 * no gap is left.
 */
export class NothingChanged extends Error {
  constructor() {
    super('nothing changed');
  }
}

/** Runs `change` in a transaction; resolves null when it threw NothingChanged (rolled back). */
export async function changeOrNothing<T>(db: Kysely<Database>, change: (trx: Transaction<Database>) => Promise<T>): Promise<T | null> {
  try {
    return await db.transaction().execute(change);
  } catch (error) {
    if (error instanceof NothingChanged) return null;
    throw error;
  }
}
