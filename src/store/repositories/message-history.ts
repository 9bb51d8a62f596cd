/**
 * History pages as JSON text, written by the database. Read as rows, a page of 50 costs a row
 * object and a Message per message, fast-json-stringify over them all and the garbage of it:
 * with the query built by Kysely, more than half of a history request's own CPU on SQLite.
 * Here the database writes each message's JSON (its own escaping, which parses to the same
 * strings) and the page is their concatenation. The SQL is written once per dialect and
 * cursor, so no query is built or compiled per request.
 */
import { CompiledQuery } from 'kysely';
import type { HistoryQuery } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';

const MAX_SEQ = 2_147_483_647;

/**
 * The page to read, or null when none can: seq is a 32-bit integer column, so a cursor past
 * that range is past every seq (PostgreSQL would refuse to compare it): `after` finds nothing
 * and `before` excludes nothing.
 */
export function boundHistoryQuery(query: HistoryQuery): HistoryQuery | null {
  if (query.after !== undefined && query.after >= MAX_SEQ) return null;
  if (query.before !== undefined && query.before > MAX_SEQ) return { limit: query.limit };
  return query;
}

/** ISO 8601 in UTC with milliseconds, as Date.toISOString writes it (timestamps are stored to the millisecond). */
const pgIso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * Every message's JSON is written with no reactions; the repository then splices in those of the
 * messages whose `reaction_count` says they have some (read by reaction-reads.ts, in its order).
 * Most messages have none, and any per-row lookup in the SQL, even one skipped by a CASE, made a
 * history page a third dearer. The placeholder is what each database writes for the key: inside
 * a string value a quote is escaped, so only the key itself can match.
 */
export const REACTIONS_PLACEHOLDER: Record<Dialect, string> = { sqlite: '"reactions":[]', postgres: '"reactions" : []' };
const REACTIONS_JSON: Record<Dialect, string> = { sqlite: 'json_array()', postgres: "'[]'::json" };

/**
 * A root's thread summary (rows.ts threadOf), from the row's own columns: null while nobody
 * replied (SQL NULL, which both databases write as JSON null). SQLite's CASE keeps
 * json_object's JSON subtype, so the object is embedded, not quoted (history-json-contract
 * and threads-contract check it).
 */
const THREAD_JSON: Record<Dialect, string> = {
  sqlite:
    "case when thread_reply_count > 0 then json_object('reply_count', thread_reply_count, 'last_reply_at', thread_last_reply_at, " +
    "'last_reply_id', thread_last_reply_id) end",
  postgres:
    "case when thread_reply_count > 0 then json_build_object('reply_count', thread_reply_count, 'last_reply_at', " +
    `${pgIso('thread_last_reply_at')}, 'last_reply_id', thread_last_reply_id) end`,
};

/**
 * One message as JSON, the fields of Message (src/store/rows.ts toMessage) in the same order.
 * `mentions` and `attachments` are stored as the JSON text they are sent as, so they are embedded,
 * not built (attachment URLs are signed as the page leaves the server: http/signed-urls.ts).
 */
function messageJson(dialect: Dialect): string {
  if (dialect === 'sqlite') {
    // SQLite stores timestamps as the ISO text toIso returns; json('true') embeds a JSON boolean.
    return (
      "json_object('message_id', message_id, 'conversation_id', conversation_id, 'sender_id', sender_id, 'content', content, " +
      "'seq', seq, 'created_at', created_at, 'edited_at', edited_at, " +
      `'deleted', json(case when deleted_at is null then 'false' else 'true' end), 'version', version, ` +
      `'reply_to_id', reply_to_id, 'thread_root_id', thread_root_id, 'thread', ${THREAD_JSON.sqlite}, 'reactions', ${REACTIONS_JSON.sqlite}, ` +
      `'mentions', json(mentions), 'mentions_all', json(case when mentions_all = 0 then 'false' else 'true' end), 'attachments', json(attachments))`
    );
  }
  // ::text: as json, the driver would parse it back into objects.
  return (
    "json_build_object('message_id', message_id, 'conversation_id', conversation_id, 'sender_id', sender_id, 'content', content, " +
    `'seq', seq, 'created_at', ${pgIso('created_at')}, 'edited_at', ${pgIso('edited_at')}, ` +
    `'deleted', deleted_at is not null, 'version', version, ` +
    `'reply_to_id', reply_to_id, 'thread_root_id', thread_root_id, 'thread', ${THREAD_JSON.postgres}, 'reactions', ${REACTIONS_JSON.postgres}, ` +
    `'mentions', mentions::json, 'mentions_all', mentions_all <> 0, 'attachments', attachments::json)::text`
  );
}

export interface PageSql {
  latest: string;
  before: string;
  after: string;
}

export interface HistoryJsonRow {
  json: string;
  /** The message's id when it has reactions to splice in; null for the others (a column per row cost more than the CASE). */
  reacted_id: string | null;
}

function pageSql(dialect: Dialect, of: 'conversation_id' | 'thread_root_id' = 'conversation_id'): PageSql {
  const [p1, p2, p3] = dialect === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
  const select = `select ${messageJson(dialect)} as json, case when reaction_count > 0 then message_id end as reacted_id from messages where ${of} = ${p1}`;
  return {
    latest: `${select} order by seq desc limit ${p2}`,
    before: `${select} and seq < ${p2} order by seq desc limit ${p3}`,
    after: `${select} and seq > ${p2} order by seq asc limit ${p3}`,
  };
}

/** The page's query: one row more than `limit` is read, to tell has_more. Rows come newest first unless `ascending`. */
export function historyJsonQuery(sql: PageSql, conversationId: string, query: HistoryQuery): { compiled: CompiledQuery<HistoryJsonRow>; ascending: boolean } {
  const fetch = query.limit + 1;
  if (query.after !== undefined) return { compiled: CompiledQuery.raw(sql.after, [conversationId, query.after, fetch]), ascending: true };
  if (query.before !== undefined) return { compiled: CompiledQuery.raw(sql.before, [conversationId, query.before, fetch]), ascending: false };
  return { compiled: CompiledQuery.raw(sql.latest, [conversationId, fetch]), ascending: false };
}

/** The page's SQL texts for each dialect, made once. */
export const HISTORY_JSON_SQL: Record<Dialect, PageSql> = { sqlite: pageSql('sqlite'), postgres: pageSql('postgres') };

/**
 * A thread's pages (GET /messages/{id}/thread): the same JSON and cursors, of the messages whose
 * thread_root_id is the root (the partial index messages_thread serves them in seq order).
 */
export const THREAD_JSON_SQL: Record<Dialect, PageSql> = { sqlite: pageSql('sqlite', 'thread_root_id'), postgres: pageSql('postgres', 'thread_root_id') };

/** The JSON array of the page's first `limit` rows, ascending by seq. */
export function joinPage(rows: readonly { json: string }[], limit: number, ascending: boolean): string {
  const count = Math.min(rows.length, limit);
  if (count === 0) return '[]';
  let text = '[';
  for (let i = 0; i < count; i++) {
    if (i > 0) text += ',';
    text += rows[ascending ? i : count - 1 - i]!.json;
  }
  return `${text}]`;
}
