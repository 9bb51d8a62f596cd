/**
 * Reading a page of messages as JSON text (message-history.ts writes the SQL): a conversation's
 * history or a thread's replies. The reactions of the few messages that have some are spliced in.
 */
import type { Kysely } from 'kysely';
import type { HistoryPageJson, HistoryQuery } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';
import { boundHistoryQuery, historyJsonQuery, joinPage, REACTIONS_PLACEHOLDER, type HistorySql } from './message-history.js';
import { reactionsOf } from './reaction-reads.js';

/** The page of the messages whose key column (conversation_id or thread_root_id, as `sql` says) is `key`. */
export async function readJsonPage(db: Kysely<Database>, dialect: Dialect, sql: HistorySql, key: string, query: HistoryQuery): Promise<HistoryPageJson> {
  const bounded = boundHistoryQuery(query);
  if (bounded === null) return { messages_json: '[]', has_more: false };
  const { compiled, ascending } = historyJsonQuery(sql, key, bounded);
  const { rows } = await db.executeQuery(compiled);
  const page = rows.slice(0, bounded.limit);
  const reacted = page.filter((row) => row.reacted_id !== null);
  if (reacted.length > 0) {
    const reactions = await reactionsOf(db, reacted.map((row) => row.reacted_id!));
    const placeholder = REACTIONS_PLACEHOLDER[dialect];
    for (const row of reacted) {
      const list = reactions.get(row.reacted_id!)?.reactions ?? [];
      row.json = row.json.replace(placeholder, `"reactions":${JSON.stringify(list)}`);
    }
  }
  return { messages_json: joinPage(page, bounded.limit, ascending), has_more: rows.length > bounded.limit };
}
