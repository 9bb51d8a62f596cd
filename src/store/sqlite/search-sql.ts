/**
 * A search page as one SQLite statement (docs/architecture.md, "Search"). The terms' indexes
 * come from search-plan.ts; membership, deletion and the filters are conditions of the same
 * statement. Order is by rowid, which in SQLite's one writer follows `created_at` (stamped in the
 * insert's transaction): newest first is rowid descending, and the word or trigram index can be
 * walked in that order, stopping as soon as the page is full.
 *
 * Relevance is the bm25 of the word index for the terms' words (any of them), computed for the
 * newest `ranked` hits (RELEVANCE_RANKED_NEWEST): ranking every hit of a word in one message out of twenty
 * costs as much as reading them all, at a million messages tens of milliseconds, for an order
 * that among thousands of similar chat lines says little. Older hits follow, newest first. A hit
 * whose terms match only inside words has no bm25 and ranks after every hit of the band that has
 * one (bm25 is negative, it gets 0; older hits get 1). A later page ranks the band again (FTS5
 * reads a rowid range no faster than the whole doclist, so the band is found again by its size,
 * not by its bounds): while nothing changes, it is the same band.
 */
import { RELEVANCE_RANKED_NEWEST } from '../../domain/ports/search-provider.js';
import type { SearchTerm } from '../../domain/search/search-query.js';
import { FOLD_FUNCTION } from './search-functions.js';
import type { SearchPlan } from './search-plan.js';

export type SearchOrderKey = { order: 'recent'; rowid: number } | { order: 'relevance'; rank: number; rowid: number };

/** What the search thread runs: the request with the cursor already decoded. */
export interface SearchSpec {
  userId: string;
  terms: SearchTerm[];
  conversationId: string | null;
  senderId: string | null;
  before: string | null;
  after: string | null;
  order: 'relevance' | 'recent';
  /** Rows to read: the page's limit plus one, to tell whether there is a next page. */
  fetch: number;
  cursor: SearchOrderKey | null;
}

export interface SearchStatement {
  sql: string;
  params: (string | number)[];
}

/**
 * How the hits are found among the caller's messages. `index`: the first index's hits, newest
 * first, each kept if its message is the caller's; the walk stops when enough are found, so it
 * is cheap unless the caller's messages are a small share of all. `members`: the caller's live
 * messages (`messages_unread`: conversation, seq; migration 0009), each kept if its rowid is
 * among the index hits; it reads them all, cheap when they are few (search-drive.ts decides).
 */
export type SearchDrive = 'index' | 'members';


/** The rank of a hit older than the ranked band: after every bm25 (negative) and 0. */
export const OLDER_RANK = 1;

/** Which of the caller's hits to select (rowid below a value or an SQL expression), newest first, how many. */
interface HitsRange {
  below?: number | { sql: string };
  limit?: number;
  /** Select the word index's bm25 of each hit as `score` too (the walk of message_words only). */
  score?: boolean;
}

/** `select m.rowid as id …`: the caller's hits in `range`, newest first. */
function hits(spec: SearchSpec, plan: SearchPlan, drive: SearchDrive, range: HitsRange): SearchStatement {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const condition = (text: string, ...values: (string | number)[]) => {
    where.push(text);
    params.push(...values);
  };
  const [first, ...others] = plan.indexes;
  const walk = drive === 'index' && first !== undefined;
  let from: string;
  let rowid: string;
  if (walk) {
    from = `${first.table} w cross join messages m on m.rowid = w.rowid`;
    rowid = 'w.rowid';
    condition(`${first.table} match ?`, first.match);
  } else {
    from = 'members mb cross join messages m indexed by messages_unread on m.conversation_id = mb.conversation_id';
    rowid = 'm.rowid';
    condition('mb.user_id = ?', spec.userId);
  }
  if (typeof range.below === 'number') condition(`${rowid} < ?`, range.below);
  else if (range.below !== undefined) condition(`${rowid} < ${range.below.sql}`);
  condition('m.deleted_at is null');
  if (walk) condition('m.conversation_id in (select conversation_id from members where user_id = ?)', spec.userId);
  for (const index of walk ? others : plan.indexes) {
    condition(`m.rowid in (select rowid from ${index.table} where ${index.table} match ?)`, index.match);
  }
  for (const text of plan.scan) condition(`instr(${FOLD_FUNCTION}(m.content), ?) > 0`, text);
  const filters: [string, string | null][] = [
    ['m.conversation_id = ?', spec.conversationId],
    ['m.sender_id = ?', spec.senderId],
    ['m.created_at < ?', spec.before],
    ['m.created_at > ?', spec.after],
  ];
  for (const [text, value] of filters) if (value !== null) condition(text, value);
  const score = range.score ? `, bm25(message_words, 1.0, 0.0) as score` : '';
  let sql = `select m.rowid as id${score} from ${from} where ${where.join(' and ')} order by ${rowid} desc`;
  if (range.limit !== undefined) {
    sql += ' limit ?';
    params.push(range.limit);
  }
  return { sql, params };
}

/** Rows are messages (every column) with `search_rowid` and `rank` (the cursor's key). */
const PAGE_COLUMNS = 'm.*, m.rowid as search_rowid, k.rank as rank';

/** Newest first, from the cursor's rowid; rank `rank` for every row. */
function byRecency(spec: SearchSpec, plan: SearchPlan, drive: SearchDrive, below: number | undefined, rank: number): SearchStatement {
  const page = hits(spec, plan, drive, { below, limit: spec.fetch });
  return {
    sql: `with k as materialized (select id, ${rank}.0 as rank from (${page.sql})) select ${PAGE_COLUMNS} from k cross join messages m on m.rowid = k.id order by k.id desc`,
    params: page.params,
  };
}

export function recentStatement(spec: SearchSpec, plan: SearchPlan, drive: SearchDrive): SearchStatement {
  const key = spec.cursor?.order === 'recent' ? spec.cursor : null;
  return byRecency(spec, plan, drive, key?.rowid, 0);
}

/**
 * Whether the page ranks the band (relevance, the rank's words in the index, the cursor not yet
 * past the band): it then reads the band's hits, else a page's worth, newest first.
 */
export function readsBand(spec: SearchSpec, plan: SearchPlan, rankable: boolean): boolean {
  if (spec.order !== 'relevance' || !rankable || plan.rank === null) return false;
  return !(spec.cursor?.order === 'relevance' && spec.cursor.rank >= OLDER_RANK);
}

/**
 * Relevance: `rankable` when the rank's words are in the index at all (else every hit ranks 0
 * and the order is newest first). Each page ranks the newest `ranked` hits and continues after
 * the cursor, into the older hits when it runs past the band; past the band, newest first.
 */
export function relevanceStatement(spec: SearchSpec, plan: SearchPlan, drive: SearchDrive, rankable: boolean, ranked = RELEVANCE_RANKED_NEWEST): SearchStatement {
  const key = spec.cursor?.order === 'relevance' ? spec.cursor : null;
  if (plan.rank === null || !readsBand(spec, plan, rankable)) return byRecency(spec, plan, drive, key?.rowid, rankable && plan.rank !== null ? OLDER_RANK : 0);

  // Walking the word index for exactly the rank's phrases, the walk's bm25 is the rank; else the
  // band's scores are computed once per statement from the word index, for its rows only (the
  // rowid range skips the older part of the doclists; bm25 per row is what costs).
  const scored = drive === 'index' && plan.rankIsWords;
  const band = hits(spec, plan, drive, { limit: ranked, score: scored });
  const ctes = [`band as materialized (${band.sql})`];
  const params: (string | number)[] = [...band.params];
  if (scored) {
    ctes.push('ranked as (select id, coalesce(score, 0.0) as rank from band)');
  } else {
    ctes.push(
      's as materialized (select rowid as id, bm25(message_words, 1.0, 0.0) as score from message_words ' +
        'where message_words match ? and rowid >= (select min(id) from band) and +rowid in (select id from band))',
      'ranked as (select b.id, coalesce(s.score, 0.0) as rank from band b left join s on s.id = b.id)',
    );
    params.push(plan.rank);
  }
  let page: string;
  if (key) {
    // The band comes before every older hit, and the page may run past its end.
    const older = hits(spec, plan, drive, { below: { sql: '(select min(id) from band)' }, limit: spec.fetch });
    ctes.push(`older as materialized (${older.sql})`);
    params.push(...older.params);
    page = `select id, rank from ranked where rank > ? or (rank = ? and id < ?) union all select id, ${OLDER_RANK}.0 from older`;
    params.push(key.rank, key.rank, key.rowid);
  } else {
    page = 'select id, rank from ranked';
  }
  ctes.push(`k as materialized (select id, rank from (${page}) order by rank, id desc limit ?)`);
  params.push(spec.fetch);
  const sql = `with ${ctes.join(', ')}`;
  return { sql: `${sql} select ${PAGE_COLUMNS} from k cross join messages m on m.rowid = k.id order by k.rank, k.id desc`, params };
}
