import { sql, type Kysely } from 'kysely';
import type { AppendResult, NewMessage } from '../../domain/ports/repositories.js';
import { toMessage, type MessageRow } from '../rows.js';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';

/**
 * A send on PostgreSQL in one statement, so one round trip and one implicit transaction: the
 * counter row is incremented (and locked until commit, so seq is gapless and in commit order)
 * and the message inserted with that seq. A concurrent duplicate fails on the message_id key,
 * which rolls back the whole statement, counter included; the caller then gets the stored row.
 * Times are cut to milliseconds, the wire format's precision, so cursors compare exactly.
 */
export class PostgresAppend {
  constructor(private readonly db: Kysely<Database>) {}

  async append(message: NewMessage): Promise<AppendResult> {
    try {
      const { rows } = await sql<MessageRow>`
        with bump as (
          update conversations
             set last_seq = last_seq + 1,
                 last_activity_at = date_trunc('milliseconds', clock_timestamp())
           where id = ${message.conversation_id}
             and not exists (select 1 from messages where message_id = ${message.message_id})
          returning last_seq, last_activity_at
        )
        insert into messages (message_id, conversation_id, sender_id, content, seq, created_at)
        select ${message.message_id}, ${message.conversation_id}, ${message.sender_id}, ${message.content}, last_seq, last_activity_at
          from bump
        returning *`.execute(this.db);
      const created = rows[0];
      if (created) return { kind: 'created', message: toMessage(created) };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const stored = await this.db.selectFrom('messages').selectAll().where('message_id', '=', message.message_id).executeTakeFirst();
    if (!stored) throw new Error(`conversation ${message.conversation_id} vanished during a send`);
    return { kind: 'existing', message: toMessage(stored) };
  }
}
