/**
 * Search over the in-memory tables by the reference definition (src/domain/search/
 * reference-match.ts), reading every message: the semantics the database providers must match.
 * It does not rank: relevance pages come newest first, as recent ones do.
 */
import type { SearchPage, SearchProvider, SearchRequest } from '../../../src/domain/ports/search-provider.js';
import { decodeSearchCursor, encodeSearchCursor } from '../../../src/domain/search/search-cursor.js';
import { queryMatches } from '../../../src/domain/search/reference-match.js';
import type { MemoryTables, MessageRow } from './memory-tables.js';

const iso = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString());

export class InMemorySearch implements SearchProvider {
  constructor(private readonly tables: MemoryTables) {}

  async search(request: SearchRequest): Promise<SearchPage> {
    const mine = new Set(this.tables.members.filter((m) => m.user_id === request.userId).map((m) => m.conversation_id));
    const hits = [...this.tables.messages.values()].filter((row) => this.visible(row, request, mine) && queryMatches(request.query, row.content));
    // Newest first: (created_at, message_id) descending, the key of the cursor.
    hits.sort((a, b) => iso(b.created_at).localeCompare(iso(a.created_at)) || b.message_id.localeCompare(a.message_id));
    let from = 0;
    if (request.cursor !== null) {
      const [createdAt, id] = decodeSearchCursor(request.cursor, request.order, ['string', 'string']) as [string, string];
      from = hits.findIndex((row) => iso(row.created_at) < createdAt || (iso(row.created_at) === createdAt && row.message_id < id));
      if (from < 0) from = hits.length;
    }
    const page = hits.slice(from, from + request.limit);
    const last = page.at(-1);
    const more = from + request.limit < hits.length;
    return {
      messages: page.map((row) => this.tables.message(row)),
      nextCursor: more && last ? encodeSearchCursor(request.order, [iso(last.created_at), last.message_id]) : null,
    };
  }

  private visible(row: MessageRow, request: SearchRequest, mine: ReadonlySet<string>): boolean {
    if (row.deleted_at !== null || !mine.has(row.conversation_id)) return false;
    if (request.conversationId !== null && row.conversation_id !== request.conversationId) return false;
    if (request.senderId !== null && row.sender_id !== request.senderId) return false;
    const created = iso(row.created_at);
    if (request.before !== null && created >= request.before) return false;
    if (request.after !== null && created <= request.after) return false;
    return true;
  }
}
