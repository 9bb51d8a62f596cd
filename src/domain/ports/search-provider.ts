/**
 * Full-text search over messages (docs/API.md, "Search"; docs/architecture.md, "Search"). The
 * store's own indexes answer it today (SQLite FTS5, PostgreSQL tsvector and pg_trgm); an
 * external engine fed by the change feed could answer it later behind this same port, without
 * the routes knowing.
 */
import type { Message } from '@pneumatic/protocol';
import type { ParsedQuery } from '../search/search-query.js';

export type SearchOrder = 'relevance' | 'recent';

/**
 * Relevance ranks the newest this many matches of a query (docs/API.md, "Order and paging");
 * older ones follow, newest first. Ranking every match of a common word costs as much as reading
 * them all, and among thousands of similar chat lines the newest are what people look for.
 */
export const RELEVANCE_RANKED_NEWEST = 500;

export interface SearchRequest {
  /** The caller: only messages of conversations they are a member of now are found. */
  userId: string;
  query: ParsedQuery;
  /** Only this conversation (the caller's membership is checked before the provider is asked). */
  conversationId: string | null;
  /** Only this sender (from `sender_id` or `from:username`). */
  senderId: string | null;
  /** Only messages created strictly before / after these instants (ISO 8601, UTC). */
  before: string | null;
  after: string | null;
  order: SearchOrder;
  /** 1–100. */
  limit: number;
  /** The `next_cursor` of the previous page, as given: the provider decodes it (SearchCursorError when it cannot). */
  cursor: string | null;
}

export interface SearchPage {
  /**
   * Best first (relevance) or newest first (recent). Never a deleted message; an edited one as it
   * is now, found by its current text only.
   */
  messages: Message[];
  /** Opaque; null on the last page. Each hit is on exactly one page of a query's pages. */
  nextCursor: string | null;
}

export interface SearchProvider {
  search(request: SearchRequest): Promise<SearchPage>;
}
