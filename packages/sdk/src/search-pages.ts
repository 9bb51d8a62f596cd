/**
 * Search paging (docs/API.md, "Search"): each page's `next_cursor` asks for the next one, with
 * the same query and options, until the server answers null. Every hit is on exactly one page.
 */
import type { SearchOptions, SearchResults } from './types.js';

/** One page of a search, as `RestApi.search` asks for it. */
export type SearchPageFetcher = (query: string, options: SearchOptions) => Promise<SearchResults>;

/**
 * The pages of a search, one request each, fetched only as the loop asks for them (stop early
 * with `break`). Starts at `options.cursor` when given.
 */
export async function* searchPages(fetchPage: SearchPageFetcher, query: string, options: SearchOptions = {}): AsyncGenerator<SearchResults, void, undefined> {
  let cursor = options.cursor;
  for (;;) {
    const page = await fetchPage(query, cursor === undefined ? withoutCursor(options) : { ...options, cursor });
    yield page;
    if (page.next_cursor === null) return;
    cursor = page.next_cursor;
  }
}

function withoutCursor(options: SearchOptions): SearchOptions {
  const { cursor: _cursor, ...rest } = options;
  return rest;
}
