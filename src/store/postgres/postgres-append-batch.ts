import type pg from 'pg';
import type { AppendResult, NewMessage } from '../../domain/ports/repositories.js';
import { hasMentions, markTargets, mentionColumns } from '../mention-marks.js';
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
 * When a send of the batch mentions someone, the batch takes a statement that also stores each
 * send's mentions ($5, $6) and writes the mention marks, given flat ($7: the send's place in
 * the batch, from 1; $8: the user marked, null for everyone): only the marks of sends that are
 * numbered (fresh, first of their message_id) join. A batch without mentions runs the
 * statement it always did.
 *
 * A send whose conversation row is gone gets no row back. A concurrent duplicate (committed by
 * another connection after this statement's snapshot) fails the whole statement on the
 * message_id key, counters included; the caller then tries again (a new snapshot sees it).
 */
function appendBatchSql(withMentions: boolean): string {
  const extraColumns = withMentions ? ', mentions, mentions_all' : '';
  return `
  with sent as (
    select * from unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[]${withMentions ? ', $5::text[], $6::integer[]' : ''}) with ordinality
      as s(message_id, conversation_id, sender_id, content${extraColumns}, ord)
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
           b.event_seq_before + row_number() over w as event_seq${withMentions ? ', f.mentions, f.mentions_all, f.ord' : ''}
      from fresh f join bump b on b.id = f.conversation_id
    window w as (partition by f.conversation_id order by f.ord)
  ),
  logged as (
    insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, created_at)
    select conversation_id, event_seq, 'message.created', sender_id, message_id, created_at from numbered
  ),${
    withMentions
      ? `
  marks as (
    insert into mention_marks (conversation_id, seq, user_id, sender_id)
    select n.conversation_id, n.seq, k.user_id, n.sender_id
      from unnest($7::integer[], $8::uuid[]) as k(ord, user_id) join numbered n on n.ord = k.ord
  ),`
      : ''
  }
  created as (
    insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, version${extraColumns})
    select message_id, conversation_id, sender_id, content, seq, created_at, event_seq${extraColumns} from numbered
    returning *
  )
  select true as created, * from created
  union all
  select false as created, * from stored`;
}

const APPEND_BATCH_SQL = appendBatchSql(false);
const APPEND_BATCH_WITH_MENTIONS_SQL = appendBatchSql(true);

/** One send's outcome within a committed batch: its result, or the error it alone fails with. */
export type BatchOutcome = AppendResult | Error;

/**
 * Writes the sends in one statement (one round trip, one commit) and returns each one's outcome,
 * in order. Rejects when the statement failed, in which case nothing of it was written.
 */
export async function appendBatch(pool: pg.Pool, messages: readonly NewMessage[]): Promise<BatchOutcome[]> {
  const values: unknown[] = [
    messages.map((m) => m.message_id),
    messages.map((m) => m.conversation_id),
    messages.map((m) => m.sender_id),
    messages.map((m) => m.content),
  ];
  const withMentions = messages.some((m) => hasMentions(m.mentions));
  if (withMentions) values.push(...mentionArrays(messages));
  const { rows } = await pool.query<MessageRow & { created: boolean }>(
    withMentions
      ? { name: 'pneumatic_append_messages_mentions_v1', text: APPEND_BATCH_WITH_MENTIONS_SQL, values }
      : { name: 'pneumatic_append_messages_v1', text: APPEND_BATCH_SQL, values },
  );
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

/** $5..$8 of the statement with mentions: each send's mention columns, then every mark flat. */
function mentionArrays(messages: readonly NewMessage[]): [string[], number[], number[], (string | null)[]] {
  const texts: string[] = [];
  const flags: number[] = [];
  const markOrds: number[] = [];
  const markUsers: (string | null)[] = [];
  messages.forEach((m, i) => {
    const columns = mentionColumns(m.mentions);
    texts.push(columns.mentions);
    flags.push(columns.mentions_all);
    for (const target of markTargets(m.sender_id, m.mentions)) {
      markOrds.push(i + 1);
      markUsers.push(target);
    }
  });
  return [texts, flags, markOrds, markUsers];
}
