/**
 * Reading a page of messages as JSON text (message-history.ts writes the SQL): a conversation's
 * history or a thread's replies. The reactions of the few messages that have some are spliced in,
 * and with `query.viewer` the page's `my_reactions` are read with them.
 */
import type { Kysely } from 'kysely';
import type { HistoryPageJson, HistoryQuery } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';
import type { MessageReactionState } from '../rows.js';
import { boundHistoryQuery, historyJsonQuery, joinPage, REACTIONS_PLACEHOLDER, type PageSql } from './message-history.js';
import { pageMyReactions, reactionsOf } from './reaction-reads.js';

/** The page of the messages whose key column (conversation_id or thread_root_id, as `sql` says) is `key`. */
export async function readJsonPage(db: Kysely<Database>, dialect: Dialect, sql: PageSql, key: string, query: HistoryQuery): Promise<HistoryPageJson> {
  const mine = (reactions: ReadonlyMap<string, MessageReactionState>) => (query.viewer === undefined ? {} : { my_reactions: pageMyReactions(reactions) });
  const bounded = boundHistoryQuery(query);
  if (bounded === null) return { messages_json: '[]', has_more: false, ...mine(new Map()) };
  const { compiled, ascending } = historyJsonQuery(sql, key, bounded);
  const { rows } = await db.executeQuery(compiled);
  const page = rows.slice(0, bounded.limit);
  const reacted = page.filter((row) => row.reacted_id !== null);
  const reactions = reacted.length === 0 ? new Map<string, MessageReactionState>() : await reactionsOf(db, reacted.map((row) => row.reacted_id!), query.viewer);
  const placeholder = REACTIONS_PLACEHOLDER[dialect];
  for (const row of reacted) {
    const list = reactions.get(row.reacted_id!)?.reactions ?? [];
    row.json = row.json.replace(placeholder, `"reactions":${JSON.stringify(list)}`);
  }
  return { messages_json: joinPage(page, bounded.limit, ascending), has_more: rows.length > bounded.limit, ...mine(reactions) };
}
