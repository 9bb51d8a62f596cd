import type pg from 'pg';
import type { AppendResult, NewMessage } from '../../domain/ports/repositories.js';
import { toMessage, type MessageRow } from '../rows.js';
import { conversationVanished } from './postgres-append.js';

/**
 * Many sends in one statement (the arrays $1..$4 hold one send per index, in arrival order):
 *
 * - `stored`: the sends whose message_id is already stored answer with that row (as of the
 *   statement's snapshot, so before its own inserts);
 * - `fresh`: the others, a message_id repeated within the batch only at its first place;
 * - `locked`: their conversation rows, locked in id order (ORDER BY runs below the locking
 *   clause), so that batches of several processes spanning the same conversations never
 *   deadlock; the update only touches rows already locked here, so it takes no lock out of
 *   order. FOR NO KEY UPDATE is the lock the update takes anyway: unlike FOR UPDATE it lets
 *   foreign-key checks on the row (a member added meanwhile) through, as the single-send
 *   statement does;
 * - `bump`: each conversation's counters go up by its number of fresh sends, and
 *   last_activity_at is stamped once the lock is held (so created_at never decreases as seq
 *   grows); `numbered` hands out the seqs and event_seqs in between, in arrival order;
 * - the `message.created` events and the messages are inserted with them.
 *
 * A send whose conversation row is gone gets no row back. A concurrent duplicate (committed by
 * another connection after this statement's snapshot) fails the whole statement on the
 * message_id key, counters included; the caller then tries again (a new snapshot sees it).
 */
const APPEND_BATCH_SQL = `
  with sent as (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]) with ordinality
      as s(message_id, conversation_id, sender_id, content, ord)
  ),
  stored as (
    select m.* from messages m where m.message_id in (select message_id from sent)
  ),
  fresh as (
    select distinct on (message_id) * from sent
     where message_id not in (select message_id from stored)
     order by message_id, ord
  ),
  counts as (
    select conversation_id, count(*)::integer as n from fresh group by conversation_id
  ),
  locked as materialized (
    select c.id, k.n from conversations c join counts k on k.conversation_id = c.id
     order by c.id for no key update of c
  ),
  bump as (
    update conversations c
       set last_seq = c.last_seq + l.n,
           last_event_seq = c.last_event_seq + l.n,
           last_activity_at = date_trunc('milliseconds', clock_timestamp())
      from locked l
     where c.id = l.id
    returning c.id, c.last_seq - l.n as seq_before, c.last_event_seq - l.n as event_seq_before, c.last_activity_at
  ),
  numbered as (
    select f.message_id, f.conversation_id, f.sender_id, f.content, b.last_activity_at as created_at,
           b.seq_before + row_number() over w as seq,
           b.event_seq_before + row_number() over w as event_seq
      from fresh f join bump b on b.id = f.conversation_id
    window w as (partition by f.conversation_id order by f.ord)
  ),
  logged as (
    insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, created_at)
    select conversation_id, event_seq, 'message.created', sender_id, message_id, created_at from numbered
  ),
  created as (
    insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, version)
    select message_id, conversation_id, sender_id, content, seq, created_at, event_seq from numbered
    returning *
  )
  select true as created, * from created
  union all
  select false as created, * from stored`;

/** One send's outcome within a committed batch: its result, or the error it alone fails with. */
export type BatchOutcome = AppendResult | Error;

/**
 * Writes the sends in one statement (one round trip, one commit) and returns each one's outcome,
 * in order. Rejects when the statement failed, in which case nothing of it was written.
 */
export async function appendBatch(pool: pg.Pool, messages: readonly NewMessage[]): Promise<BatchOutcome[]> {
  const { rows } = await pool.query<MessageRow & { created: boolean }>({
    name: 'pneumatic_append_messages_v1',
    text: APPEND_BATCH_SQL,
    values: [
      messages.map((m) => m.message_id),
      messages.map((m) => m.conversation_id),
      messages.map((m) => m.sender_id),
      messages.map((m) => m.content),
    ],
  });
  const created = new Map<string, MessageRow>();
  const stored = new Map<string, MessageRow>();
  for (const row of rows) (row.created ? created : stored).set(row.message_id, row);
  const claimed = new Set<string>();
  return messages.map((m): BatchOutcome => {
    const id = m.message_id.toLowerCase(); // PostgreSQL returns uuids in lowercase
    const row = created.get(id);
    if (row && !claimed.has(id)) {
      claimed.add(id);
      return { kind: 'created', message: toMessage(row) };
    }
    // A message_id repeated in the batch: its first send created it, the later ones get it back.
    const existing = row ?? stored.get(id);
    return existing ? { kind: 'existing', message: toMessage(existing) } : conversationVanished(m.conversation_id);
  });
}
