/**
 * Writing to the change feed inside a change's own transaction. `nextEventSeq` increments the
 * conversation's counter row, which locks it until commit (PostgreSQL: a row lock; SQLite: the
 * database write lock), so event_seq is gapless and commit order equals event_seq order within
 * a conversation, with any number of pooled connections or processes. A database sequence would
 * not do: its values are handed out before commit and become visible out of order.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ConversationEventType } from '@pneumatic/protocol';
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
  created_at: string;
}

export async function logEvent(trx: Tx, event: LoggedEvent): Promise<void> {
  await trx
    .insertInto('conversation_events')
    .values({ ...event, message_id: event.message_id ?? null, user_id: event.user_id ?? null })
    .execute();
}

/** Moves each user's user_seq forward by one; returns the new values by user id. */
export async function bumpUserSeqs(trx: Tx, userIds: readonly string[]): Promise<Record<string, number>> {
  const seqs: Record<string, number> = {};
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < userIds.length; i += 500) {
    const rows = await trx
      .updateTable('users')
      .set((eb) => ({ last_user_seq: eb('last_user_seq', '+', 1) }))
      .where('id', 'in', userIds.slice(i, i + 500))
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
