import type { Kysely } from 'kysely';
import type pg from 'pg';
import type { AppendResult, NewMessage } from '../../domain/ports/repositories.js';
import { hasMentions, markTargets, mentionColumns } from '../mention-marks.js';
import { toMessage, type MessageRow } from '../rows.js';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';

/**
 * The counter row is incremented (and locked until commit, so seq and event_seq are gapless
 * and in commit order), the message inserted with that seq and its `message.created` event
 * logged with that event_seq. A concurrent duplicate fails on the message_id
 * key, which rolls back the whole statement, counter included. A message that mentions someone
 * takes a statement of its own that also stores its mentions ($5, $6) and writes its mention
 * marks ($7, null for everyone), so a send without mentions runs the statement it always did.
 */
function appendSql(withMentions: boolean): string {
  return `
  with bump as (
    update conversations
       set last_seq = last_seq + 1,
           last_event_seq = last_event_seq + 1,
           last_activity_at = date_trunc('milliseconds', clock_timestamp())
     where id = $2
       and not exists (select 1 from messages where message_id = $1)
    returning last_seq, last_event_seq, last_activity_at
  ),
  logged as (
    insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, created_at)
    select $2, last_event_seq, 'message.created', $3, $1, last_activity_at
      from bump
  )${
    withMentions
      ? `,
  marks as (
    insert into mention_marks (conversation_id, seq, user_id, sender_id)
    select $2, b.last_seq, k.user_id, $3 from bump b cross join unnest($7::uuid[]) as k(user_id)
  )
  insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, version, mentions, mentions_all)
  select $1, $2, $3, $4, last_seq, last_activity_at, last_event_seq, $5, $6`
      : `
  insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, version)
  select $1, $2, $3, $4, last_seq, last_activity_at, last_event_seq`
  }
    from bump
  returning *`;
}

const APPEND_SQL = appendSql(false);
const APPEND_WITH_MENTIONS_SQL = appendSql(true);

/** What a send fails with when its conversation row is gone (deleted since the membership check). */
export function conversationVanished(conversationId: string): Error {
  return new Error(`conversation ${conversationId} vanished during a send`);
}

/**
 * One send on PostgreSQL in one statement, so one round trip and one implicit transaction: what
 * `PostgresGroupCommit` uses for a batch of one, and for each send of a batch whose statement a
 * row of it refused. The statement is named, so each pooled connection parses and plans it once
 * and then only binds and executes it: planning the CTE cost about as much as running it.
 * (Behind PgBouncer in transaction mode, use 1.21 or later with max_prepared_statements set.)
 * A duplicate gets the stored row. Times are cut to milliseconds, the wire format's precision,
 * so cursors compare exactly.
 */
export async function appendOne(db: Kysely<Database>, pool: pg.Pool, message: NewMessage): Promise<AppendResult> {
  try {
    const values = [message.message_id, message.conversation_id, message.sender_id, message.content];
    const query = hasMentions(message.mentions)
      ? { name: 'pneumatic_append_message_mentions_v1', text: APPEND_WITH_MENTIONS_SQL, values: [...values, ...mentionValues(message)] }
      : { name: 'pneumatic_append_message_v2', text: APPEND_SQL, values };
    const { rows } = await pool.query<MessageRow>(query);
    const created = rows[0];
    if (created) return { kind: 'created', message: toMessage(created) };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const stored = await db.selectFrom('messages').selectAll().where('message_id', '=', message.message_id).executeTakeFirst();
  if (!stored) throw conversationVanished(message.conversation_id);
  return { kind: 'existing', message: toMessage(stored) };
}

/** $5..$7 of the statement with mentions: the message's mention columns and its marks. */
function mentionValues(message: NewMessage): [string, number, readonly (string | null)[]] {
  const columns = mentionColumns(message.mentions);
  return [columns.mentions, columns.mentions_all, markTargets(message.sender_id, message.mentions)];
}
