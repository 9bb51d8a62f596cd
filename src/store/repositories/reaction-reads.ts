/**
 * Reading messages' reactions for the Message objects the store returns: counts per emoji in
 * order of each emoji's first reaction, and a viewer's own (a history page's `my_reactions`). The order is the one the history
 * page's SQL writes (message-history.ts): first reaction time, then the emoji by code point
 * (SQLite compares text by bytes, PostgreSQL with collate "C": UTF-8 byte order is code point order).
 */
import { sql, type Kysely } from 'kysely';
import type { MyReactions } from '@pneumatic/protocol';
import type { Database } from '../schema.js';
import { toIso, type MessageReactionState } from '../rows.js';

/** Message ids per statement (SQLite caps bound parameters). */
const CHUNK = 500;

/** Code point order, as the databases sort (JS `<` compares UTF-16 units, which differs past U+E000). */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/** ISO 8601 UTC times of one format: text order is time order. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Each message's reactions (and `viewer`'s own, when given), by message id; messages without any
 * map to empty lists. One statement per chunk: a member reacts at most once per emoji, so the
 * time of the viewer's reaction with an emoji is the group's latest of theirs.
 */
export async function reactionsOf(db: Kysely<Database>, messageIds: readonly string[], viewer?: string): Promise<Map<string, MessageReactionState>> {
  const result = new Map<string, MessageReactionState>();
  for (const id of messageIds) result.set(id, viewer === undefined ? { reactions: [] } : { reactions: [], my_reactions: [] });
  const unique = [...new Set(messageIds)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const chunk = unique.slice(i, i + CHUNK);
    const counts = await db
      .selectFrom('reactions')
      .select([
        'message_id',
        'emoji',
        (eb) => eb.fn.countAll().as('count'),
        (eb) => eb.fn.min('created_at').as('first'),
        sql<Date | string | null>`max(case when user_id = ${viewer ?? null} then created_at end)`.as('mine_at'),
      ])
      .where('message_id', 'in', chunk)
      .groupBy(['message_id', 'emoji'])
      .execute();
    counts.sort((a, b) => byText(toIso(a.first), toIso(b.first)) || byCodePoint(a.emoji, b.emoji));
    for (const row of counts) result.get(row.message_id)?.reactions.push({ emoji: row.emoji, count: Number(row.count) });
    if (viewer === undefined) continue;
    const mine = counts.filter((row) => row.mine_at !== null).map((row) => ({ message_id: row.message_id, emoji: row.emoji, at: toIso(row.mine_at!) }));
    mine.sort((a, b) => byText(a.at, b.at) || byCodePoint(a.emoji, b.emoji));
    for (const row of mine) result.get(row.message_id)?.my_reactions?.push(row.emoji);
  }
  return result;
}

/** The page's `my_reactions` (docs/API.md, "Reactions"): only the messages the viewer reacted to. */
export function pageMyReactions(states: ReadonlyMap<string, MessageReactionState>): MyReactions {
  const mine: MyReactions = {};
  for (const [messageId, state] of states) if (state.my_reactions && state.my_reactions.length > 0) mine[messageId] = state.my_reactions;
  return mine;
}
