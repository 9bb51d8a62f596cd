/**
 * Search (docs/API.md, "Search"): the wire shapes of `GET /search/messages`, shared by the
 * server, the SDK and the web app.
 */
import { Type, type Static } from 'typebox';
import { Message } from './models.js';

/** [start, end) in the snippet, in UTF-16 code units (JavaScript string indices). */
export const Highlight = Type.Tuple([Type.Integer({ minimum: 0 }), Type.Integer({ minimum: 0 })], { title: 'Highlight' });
export type Highlight = Static<typeof Highlight>;

export const SearchResult = Type.Object(
  {
    message: Message,
    snippet: Type.String({ description: 'plain text: an excerpt of the content around the first match, with … where it is cut; never HTML' }),
    highlights: Type.Array(Highlight, { description: 'where the query matched in `snippet`: ascending, not overlapping' }),
  },
  { title: 'SearchResult' },
);
export type SearchResult = Static<typeof SearchResult>;

export const SearchResults = Type.Object(
  {
    results: Type.Array(SearchResult),
    next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'pass as `cursor` for the next page; null on the last' }),
  },
  { title: 'SearchResults' },
);
export type SearchResults = Static<typeof SearchResults>;

/** Search orders: best match first, or newest first. */
export const SEARCH_ORDERS = ['relevance', 'recent'] as const;
export const SEARCH_LIMIT_MAX = 100;
