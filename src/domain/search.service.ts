import type { SearchResults } from '@pneumatic/protocol';
import { requireMembership } from './conversation.policy.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Store } from './ports/repositories.js';
import type { SearchOrder } from './ports/search-provider.js';
import { parseSearchQuery } from './search/search-query.js';
import { makeSnippet } from './search/snippet.js';

export interface SearchServiceDeps {
  store: Store;
  limiter: RateLimiter;
}

/** `GET /search/messages` as the route validated it. */
export interface SearchParams {
  q: string;
  conversation_id?: string;
  sender_id?: string;
  before?: string;
  after?: string;
  order?: SearchOrder;
  limit?: number;
  cursor?: string;
}

export const SEARCH_DEFAULT_LIMIT = 20;

/**
 * Message search (docs/API.md, "Search"). Who may find what is decided here and in the query
 * the provider runs: only messages of conversations the caller is a member of now (a former
 * member finds nothing of a conversation they left), filtered inside the index query rather
 * than after it, so a page is full whatever share of the hits is the caller's.
 */
export class SearchService {
  constructor(private readonly deps: SearchServiceDeps) {}

  async search(callerId: string, params: SearchParams): Promise<SearchResults> {
    await this.deps.limiter.consume('searches', callerId);
    const query = parseSearchQuery(params.q);
    const { store } = this.deps;
    // Named, a conversation must be the caller's: 404 or 403 as on every other route.
    if (params.conversation_id !== undefined) await requireMembership(store, params.conversation_id, callerId);
    let senderId = params.sender_id ?? null;
    if (query.from !== null) {
      const fromId = (await store.users.idsByUsernameKeys([query.from.toLowerCase()])).get(query.from.toLowerCase());
      // An unknown sender, or two that disagree, finds nothing: an empty page, not an error.
      if (fromId === undefined || (senderId !== null && senderId !== fromId)) return { results: [], next_cursor: null };
      senderId = fromId;
    }
    const page = await store.search.search({
      userId: callerId,
      query,
      conversationId: params.conversation_id ?? null,
      senderId,
      // One spelling of each instant (stored times are toISOString()'s), so providers compare strings.
      before: params.before === undefined ? null : new Date(params.before).toISOString(),
      after: params.after === undefined ? null : new Date(params.after).toISOString(),
      order: params.order ?? 'relevance',
      limit: params.limit ?? SEARCH_DEFAULT_LIMIT,
      cursor: params.cursor ?? null,
    });
    return {
      results: page.messages.map((message) => ({ message, ...makeSnippet(message.content, query.terms) })),
      next_cursor: page.nextCursor,
    };
  }
}
