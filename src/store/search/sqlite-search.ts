/**
 * Search on SQLite (docs/architecture.md, "Search"): FTS5 word and trigram indexes over
 * messages. Placeholder until the provider lands: it finds nothing.
 */
import type { SearchPage, SearchProvider, SearchRequest } from '../../domain/ports/search-provider.js';

export class SqliteSearchProvider implements SearchProvider {
  constructor(private readonly path: string) {}

  async search(_request: SearchRequest): Promise<SearchPage> {
    void this.path;
    return { messages: [], nextCursor: null };
  }

  async close(): Promise<void> {}
}
