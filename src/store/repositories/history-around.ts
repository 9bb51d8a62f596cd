/**
 * The history page `around` a seq S (GET /conversations/{id}/messages?around=S): read as the two
 * pages history already knows, `before=S` (older than S, newest first) and `after=S-1` (S and
 * newer, oldest first), each one row more than the page, then cut to the page here. The same
 * cut serves the JSON page, the object page and the in-memory fake, so they cannot disagree.
 */
import type { HistoryQuery } from '../../domain/ports/repositories.js';

/** The two one-sided queries an around page is read from (each reads `limit + 1` rows, as any page). */
export function aroundReads(query: HistoryQuery & { around: number }): { older: HistoryQuery; newer: HistoryQuery } {
  const { limit, viewer } = query;
  const base = viewer === undefined ? { limit } : { limit, viewer };
  return { older: { ...base, before: query.around }, newer: { ...base, after: query.around - 1 } };
}

export interface AroundCut<T> {
  /** The page, ascending by seq. */
  rows: T[];
  has_more_before: boolean;
  has_more_after: boolean;
}

/**
 * The page of at most `limit` rows centred on S: floor(limit / 2) older ones, then S and the
 * newer ones, so with limit 50 the message has 25 before it and 24 after. When one side has
 * fewer, the other fills the page, so around the latest message the page is the latest page.
 * `older` is newest first and `newer` oldest first (as read); each may hold `limit + 1` rows.
 */
export function cutAround<T>(older: readonly T[], newer: readonly T[], limit: number): AroundCut<T> {
  const takeOlder = Math.min(older.length, Math.max(Math.floor(limit / 2), limit - newer.length));
  const takeNewer = Math.min(newer.length, limit - takeOlder);
  return {
    rows: [...older.slice(0, takeOlder).reverse(), ...newer.slice(0, takeNewer)],
    has_more_before: older.length > takeOlder,
    has_more_after: newer.length > takeNewer,
  };
}
