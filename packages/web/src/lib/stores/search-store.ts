/**
 * Message search (docs/API.md, "Search"): the query and filters last asked for, its results page
 * after page ("More results" follows next_cursor), and whether the results panel is open. One
 * atom: the panel is the only reader. A newer search wins over an older one still in flight.
 */
import type { PneumaticClient, SearchOptions, SearchOrder, SearchResult } from '@pneumatic/client';
import { errorText } from '../errors.js';
import { Atom, type Readable } from './atom.js';

export type { SearchOrder } from '@pneumatic/client';

export interface SearchFilters {
  /** Only this conversation, or null for all of yours. */
  conversationId: string | null;
  /** Only this sender, or null for anyone. */
  senderId: string | null;
  order: SearchOrder;
}

export interface SearchView {
  open: boolean;
  query: string;
  filters: SearchFilters;
  results: readonly SearchResult[];
  nextCursor: string | null;
  status: 'idle' | 'loading' | 'done' | 'error';
  error: string | null;
}

export const PAGE_SIZE = 20;
const NO_FILTERS: SearchFilters = { conversationId: null, senderId: null, order: 'relevance' };
const CLOSED: SearchView = { open: false, query: '', filters: NO_FILTERS, results: [], nextCursor: null, status: 'idle', error: null };

export class SearchStore {
  private readonly atom = new Atom<SearchView>(CLOSED);
  /** Counts requests, so the answer of one replaced by a newer search is dropped. */
  private generation = 0;

  constructor(private readonly client: Pick<PneumaticClient, 'search'>) {}

  get view(): Readable<SearchView> {
    return this.atom;
  }

  /** A new search (or new filters): the first page replaces the results. */
  async search(query: string, filters: SearchFilters = this.atom.get().filters): Promise<void> {
    const trimmed = query.trim();
    this.atom.set({ ...this.atom.get(), open: true, query: trimmed, filters, results: [], nextCursor: null, status: trimmed ? 'loading' : 'idle', error: null });
    if (trimmed) await this.fetch(trimmed, filters, null);
  }

  /** The next page, appended. */
  async more(): Promise<void> {
    const { query, filters, nextCursor, status } = this.atom.get();
    if (nextCursor === null || status === 'loading') return;
    this.atom.set({ ...this.atom.get(), status: 'loading', error: null });
    await this.fetch(query, filters, nextCursor);
  }

  close(): void {
    this.generation++;
    this.atom.set({ ...this.atom.get(), open: false, status: this.atom.get().status === 'loading' ? 'idle' : this.atom.get().status });
  }

  private async fetch(query: string, filters: SearchFilters, cursor: string | null): Promise<void> {
    const generation = ++this.generation;
    const options: SearchOptions = { order: filters.order, limit: PAGE_SIZE };
    if (filters.conversationId) options.conversation_id = filters.conversationId;
    if (filters.senderId) options.sender_id = filters.senderId;
    if (cursor) options.cursor = cursor;
    try {
      const page = await this.client.search(query, options);
      if (generation !== this.generation) return;
      const results = cursor ? [...this.atom.get().results, ...page.results] : page.results;
      this.atom.set({ ...this.atom.get(), results, nextCursor: page.next_cursor, status: 'done' });
    } catch (error) {
      if (generation === this.generation) this.atom.set({ ...this.atom.get(), status: 'error', error: errorText(error) });
    }
  }
}
