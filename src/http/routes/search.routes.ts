import { SearchResults } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Message search (docs/API.md, "Search"): the caller's conversations only, never a deleted
 * message, rate-limited per user (RATE_LIMIT_SEARCHES_PER_MINUTE). The query language and the
 * snippet's highlights are the domain's (src/domain/search).
 */
export const searchRoutes: RoutePlugin = async (app, { services, schemas }) => {
  app.get(
    '/search/messages',
    {
      schema: {
        tags: ['search'],
        summary: 'Search the messages of your conversations',
        querystring: schemas.SearchQuery,
        response: responses({ 200: SearchResults }),
      },
    },
    async (request) => services.search.search(principalOf(request).user.id, request.query),
  );
};
