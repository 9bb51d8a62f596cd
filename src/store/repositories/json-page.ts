/**
 * Reading a page of messages as JSON text (message-history.ts writes the SQL): a conversation's
 * history or a thread's replies. The reactions of the few messages that have some are spliced in,
 * and with `query.viewer` the page's `my_reactions` are read with them. A page `around` a seq
 * is read as its two sides (history-around.ts).
 */
import type { Kysely } from 'kysely';
import type { MyReactions } from '@pneumatic/protocol';
import type { HistoryPageJson, HistoryQuery } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';
import type { Database } from '../schema.js';
import type { MessageReactionState } from '../rows.js';
import { aroundReads, cutAround } from './history-around.js';
import { boundHistoryQuery, historyJsonQuery, joinPage, REACTIONS_PLACEHOLDER, type HistoryJsonRow, type PageSql } from './message-history.js';
import { pageMyReactions, reactionsOf } from './reaction-reads.js';

/** The page of the messages whose key column (conversation_id or thread_root_id, as `sql` says) is `key`. */
export async function readJsonPage(db: Kysely<Database>, dialect: Dialect, sql: PageSql, key: string, query: HistoryQuery): Promise<HistoryPageJson> {
  if (query.around !== undefined) return readAroundPage(db, dialect, sql, key, { ...query, around: query.around });
  const bounded = boundHistoryQuery(query);
  if (bounded === null) return { messages_json: '[]', has_more: false, ...(await spliceReactions(db, dialect, [], query.viewer)) };
  const { compiled, ascending } = historyJsonQuery(sql, key, bounded);
  const { rows } = await db.executeQuery(compiled);
  const page = rows.slice(0, bounded.limit);
  const mine = await spliceReactions(db, dialect, page, query.viewer);
  return { messages_json: joinPage(page, bounded.limit, ascending), has_more: rows.length > bounded.limit, ...mine };
}

/** The page around a seq (history-around.ts): its two sides read one after the other, then cut. */
async function readAroundPage(db: Kysely<Database>, dialect: Dialect, sql: PageSql, key: string, query: HistoryQuery & { around: number }): Promise<HistoryPageJson> {
  const { older, newer } = aroundReads(query);
  const read = async (side: HistoryQuery): Promise<HistoryJsonRow[]> => {
    const bounded = boundHistoryQuery(side);
    return bounded === null ? [] : (await db.executeQuery(historyJsonQuery(sql, key, bounded).compiled)).rows;
  };
  const cut = cutAround(await read(older), await read(newer), query.limit);
  const mine = await spliceReactions(db, dialect, cut.rows, query.viewer);
  const has = { has_more: cut.has_more_before || cut.has_more_after, has_more_before: cut.has_more_before, has_more_after: cut.has_more_after };
  return { messages_json: joinPage(cut.rows, cut.rows.length, true), ...has, ...mine };
}

/**
 * Splices the reactions of the page's rows that have some into their JSON, and with a viewer
 * answers the page's `my_reactions`.
 */
async function spliceReactions(db: Kysely<Database>, dialect: Dialect, page: HistoryJsonRow[], viewer: string | undefined): Promise<{ my_reactions?: MyReactions }> {
  const reacted = page.filter((row) => row.reacted_id !== null);
  const reactions = reacted.length === 0 ? new Map<string, MessageReactionState>() : await reactionsOf(db, reacted.map((row) => row.reacted_id!), viewer);
  const placeholder = REACTIONS_PLACEHOLDER[dialect];
  for (const row of reacted) {
    const list = reactions.get(row.reacted_id!)?.reactions ?? [];
    row.json = row.json.replace(placeholder, `"reactions":${JSON.stringify(list)}`);
  }
  return viewer === undefined ? {} : { my_reactions: pageMyReactions(reactions) };
}
