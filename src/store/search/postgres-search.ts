/**
 * Search on PostgreSQL (docs/architecture.md, "Search"): one statement per page over the GIN
 * indexes of migration 0010 (a `simple` tsvector of the folded words, and pg_trgm over the
 * folded text), with the caller's membership, the filters and the keyset cursor inside it, so a
 * page is full whatever share of the hits is the caller's.
 *
 * The caller's conversations are an array (an InitPlan), not a join: so the conversation is an
 * index condition of each scan (the indexes lead with it), one scan per conversation, whatever
 * the planner estimates of the term.
 *
 * Order `recent`: (created_at, message_id) descending. Order `relevance`: ts_rank over every
 * term's words (a message that holds a term only inside longer words ranks 0, below), then
 * newest first, for the newest RELEVANCE_RANKED_NEWEST hits; older ones follow, newest first
 * (rank -1), as on SQLite: ts_rank parses each hit's text again, and for a common word that was
 * most of the statement (docs/architecture.md, "Search"). The rank is a float4 that PostgreSQL
 * writes exactly (shortest round-trip digits), so the cursor compares the very value the next
 * page computes again.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Message } from '@pneumatic/protocol';
import { AppError } from '../../domain/errors.js';
import { RELEVANCE_RANKED_NEWEST, type SearchPage, type SearchProvider, type SearchRequest } from '../../domain/ports/search-provider.js';
import { decodeSearchCursor, encodeSearchCursor } from '../../domain/search/search-cursor.js';
import { reactionsOf } from '../repositories/reaction-reads.js';
import { toMessage, type MessageReactionState, type MessageRow } from '../rows.js';
import type { Database } from '../schema.js';
import { termConditions } from './postgres-search-terms.js';

interface HitRow extends MessageRow {
  /** created_at to the microsecond, as the cursor keeps it. */
  created_key: string;
  rank: number;
}

/** The rank of the hits older than the ranked band: below every ts_rank (which is never negative). */
const OLDER_RANK = -1;

export interface PostgresSearchOptions {
  /** The newest hits relevance ranks (RELEVANCE_RANKED_NEWEST); tests lower it to see the older ones. */
  rankedNewest?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu;
const TIME_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/u;

export class PostgresSearchProvider implements SearchProvider {
  private readonly rankedNewest: number;

  constructor(
    private readonly db: Kysely<Database>,
    options: PostgresSearchOptions = {},
  ) {
    this.rankedNewest = options.rankedNewest ?? RELEVANCE_RANKED_NEWEST;
  }

  async search(request: SearchRequest): Promise<SearchPage> {
    const terms = termConditions(request.query.terms);
    if (terms.impossible) return { messages: [], nextCursor: null };
    const ranking = request.order === 'relevance' && terms.rankQuery !== null;
    // CASE evaluates ts_rank for the band's rows only.
    const rank = ranking
      ? sql`case when x.newest <= ${this.rankedNewest} then ts_rank(pneumatic_search_words(x.content), ${terms.rankQuery}) else ${OLDER_RANK} end`
      : sql`0`;
    const newest = ranking ? sql`, row_number() over (order by m.created_at desc, m.message_id desc) as newest` : sql``;
    const filters = [...terms.where, ...requestFilters(request)];
    const hits = sql<HitRow>`
      select m.message_id, m.conversation_id, m.sender_id, m.content, m.seq, m.created_at, m.edited_at, m.deleted_at, m.version,
             m.reaction_count, m.reply_to_id, m.thread_root_id, m.thread_reply_count, m.thread_last_reply_at, m.thread_last_reply_id,
             m.mentions, m.mentions_all, m.attachments,
             to_char(m.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as created_key ${newest}
        from messages m
       where m.conversation_id = any(array(select b.conversation_id from members b where b.user_id = ${request.userId}))
         and m.deleted_at is null and m.content <> ''
         and ${sql.join(filters, sql` and `)}`;
    const ranked = sql<HitRow>`select x.*, (${rank})::real as rank from (${hits}) x`;
    const { rows } = await sql<HitRow>`select * from (${ranked}) h where ${cursorCondition(request)} ${orderBy(request)} limit ${request.limit + 1}`.execute(this.db);
    const page = rows.slice(0, request.limit);
    const last = page.at(-1);
    return {
      messages: await this.toMessages(page),
      nextCursor: rows.length > request.limit && last ? encodeSearchCursor(request.order, cursorKey(request, last)) : null,
    };
  }

  async close(): Promise<void> {}

  /** The wire Messages, with the reactions of those that have some (as history reads them). */
  private async toMessages(rows: readonly HitRow[]): Promise<Message[]> {
    const reacted = rows.filter((row) => Number(row.reaction_count ?? 0) > 0).map((row) => row.message_id);
    const reactions = reacted.length === 0 ? new Map<string, MessageReactionState>() : await reactionsOf(this.db, reacted);
    return rows.map((row) => toMessage(row, reactions.get(row.message_id)));
  }
}

function requestFilters(request: SearchRequest): RawBuilder<unknown>[] {
  const filters: RawBuilder<unknown>[] = [];
  if (request.conversationId !== null) filters.push(sql`m.conversation_id = ${uuidOrNone(request.conversationId)}::uuid`);
  if (request.senderId !== null) filters.push(sql`m.sender_id = ${uuidOrNone(request.senderId)}::uuid`);
  if (request.before !== null) filters.push(sql`m.created_at < ${request.before}::timestamptz`);
  if (request.after !== null) filters.push(sql`m.created_at > ${request.after}::timestamptz`);
  return filters;
}

/** A malformed id names no row: compared as the nil uuid, never cast from text that fails. */
const uuidOrNone = (id: string) => (UUID.test(id) ? id : '00000000-0000-0000-0000-000000000000');

function orderBy(request: SearchRequest): RawBuilder<unknown> {
  return request.order === 'relevance' ? sql`order by h.rank desc, h.created_at desc, h.message_id desc` : sql`order by h.created_at desc, h.message_id desc`;
}

function cursorKey(request: SearchRequest, row: HitRow): (string | number)[] {
  return request.order === 'relevance' ? [Number(row.rank), row.created_key, row.message_id] : [row.created_key, row.message_id];
}

/** Past the previous page's last hit, in the page order; `true` on a first page. */
function cursorCondition(request: SearchRequest): RawBuilder<unknown> {
  if (request.cursor === null) return sql`true`;
  if (request.order === 'relevance') {
    const [rank, createdKey, id] = decodeSearchCursor(request.cursor, 'relevance', ['number', 'string', 'string']) as [number, string, string];
    checkKey(createdKey, id);
    // Beyond float4's range PostgreSQL refuses the cast: not a rank this provider wrote.
    if (rank !== 0 && !(Math.abs(rank) >= 1e-37 && Math.abs(rank) <= 3.4e38)) throw invalidCursor();
    return sql`(h.rank, h.created_at, h.message_id) < (${String(rank)}::real, ${createdKey}::timestamptz, ${id}::uuid)`;
  }
  const [createdKey, id] = decodeSearchCursor(request.cursor, 'recent', ['string', 'string']) as [string, string];
  checkKey(createdKey, id);
  return sql`(h.created_at, h.message_id) < (${createdKey}::timestamptz, ${id}::uuid)`;
}

/** A cursor's values are cast in SQL: refuse, as any cursor not of ours, those that would not cast. */
function checkKey(createdKey: string, id: string): void {
  const valid = TIME_KEY.test(createdKey) && !Number.isNaN(Date.parse(createdKey)) && new Date(createdKey).toISOString().slice(0, 23) === createdKey.slice(0, 23);
  if (!valid || !UUID.test(id)) throw invalidCursor();
}

const invalidCursor = () => new AppError('invalid_cursor', 'This cursor is not the next_cursor of a page of this search (same order).');
