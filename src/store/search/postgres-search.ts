/**
 * Search on PostgreSQL (docs/architecture.md, "Search"): a `simple` tsvector with a GIN index,
 * and pg_trgm for substrings. Placeholder until the provider lands: it finds nothing.
 */
import type { Kysely } from 'kysely';
import type { SearchPage, SearchProvider, SearchRequest } from '../../domain/ports/search-provider.js';
import type { Database } from '../schema.js';

export class PostgresSearchProvider implements SearchProvider {
  constructor(private readonly db: Kysely<Database>) {}

  async search(_request: SearchRequest): Promise<SearchPage> {
    void this.db;
    return { messages: [], nextCursor: null };
  }

  async close(): Promise<void> {}
}
