/**
 * Which drive answers a search (search-sql.ts SearchDrive), from three cheap counts taken in the
 * search's read transaction: the first index's hits (counted up to a cap), the caller's messages
 * (the sum of their conversations' last seq: deleted ones included, an estimate) and all messages
 * (the largest rowid). Walking the index newest first finds the caller's hits at the rate of
 * their share of all messages, so `need` of them cost about need / share index rows, at most
 * every hit; the members drive reads every message of the caller. A read through the index
 * costs a lookup of the message's row, about twice what a step along `messages_unread` does
 * (measured at 1 M messages, docs/architecture.md "Search"). Counting the index's hits costs
 * about a millisecond per 10,000, so it is asked only when the share alone does not settle it.
 */
import type { IndexMatch, SearchPlan } from './search-plan.js';
import type { SearchDrive, SearchSpec, SearchStatement } from './search-sql.js';

/** Index hits counted at most: past this the walk's length is bounded by the share alone. */
export const INDEX_HITS_CAP = 20_000;

/** How much more a step of the index walk costs than a step of the members drive. */
const WALK_STEP_COST = 2;

export interface DriveEstimate {
  /** Whether the plan has an index to walk (else only the members drive can answer). */
  indexed: boolean;
  /** The caller's messages (in the filter's conversation, when one is given). */
  visible: number;
  /** Every message, about. */
  total: number;
  /** Hits the page needs: the page (plus one), or the ranked band. */
  need: number;
  /** The first index's hits, counted up to INDEX_HITS_CAP: asked only when the share alone does not decide. */
  indexHits: () => number;
}

export function chooseDrive(estimate: DriveEstimate): SearchDrive {
  const { indexed, visible, total, need } = estimate;
  if (!indexed || visible === 0) return 'members';
  const byShare = (need * Math.max(total, visible)) / visible;
  if (visible >= byShare * WALK_STEP_COST) return 'index';
  const hits = estimate.indexHits();
  const walk = Math.min(hits >= INDEX_HITS_CAP ? Infinity : hits, byShare);
  return visible < walk * WALK_STEP_COST ? 'members' : 'index';
}

/** Counts an index's hits, up to the cap. */
export function indexHitsStatement(index: IndexMatch): SearchStatement {
  return {
    sql: `select count(*) as n from (select rowid from ${index.table} where ${index.table} match ? limit ?)`,
    params: [index.match, INDEX_HITS_CAP],
  };
}

/**
 * A query with terms in both indexes (a substring and a short word, or a quoted phrase) walks
 * the one with fewer hits: every step of a walk reads a message, and the other index is only a
 * set to test against. Returns the plan with that index first, and its count.
 */
export function rarerIndexFirst(plan: SearchPlan, count: (statement: SearchStatement) => number): { plan: SearchPlan; firstHits: number | null } {
  if (plan.indexes.length < 2) return { plan, firstHits: null };
  const counted = plan.indexes.map((index) => ({ index, hits: count(indexHitsStatement(index)) })).sort((a, b) => a.hits - b.hits);
  return { plan: { ...plan, indexes: counted.map((c) => c.index) }, firstHits: counted[0]!.hits };
}

/** The caller's messages: in their conversations, or in the filter's one (if theirs; else the search finds nothing anyway). */
export function visibleStatement(spec: SearchSpec): SearchStatement {
  return spec.conversationId === null
    ? { sql: 'select coalesce(sum(c.last_seq), 0) as n from members mb cross join conversations c on c.id = mb.conversation_id where mb.user_id = ?', params: [spec.userId] }
    : { sql: 'select coalesce(max(last_seq), 0) as n from conversations where id = ?', params: [spec.conversationId] };
}

export const TOTAL_MESSAGES_SQL = 'select coalesce(max(rowid), 0) as n from messages';

/** Whether any message has one of the rank's words (else relevance is newest first). */
export function rankableStatement(plan: SearchPlan): SearchStatement | null {
  return plan.rank === null ? null : { sql: 'select count(*) as n from (select 1 from message_words where message_words match ? limit 1)', params: [plan.rank] };
}
