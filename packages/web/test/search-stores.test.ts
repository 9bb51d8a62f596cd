/**
 * Search and jump-to-message in the web app's stores, without a browser: the holes a jump
 * leaves in the held history and where their gaps show, the message store loading the page
 * around a result (and the latest page) and filling a gap, and the search store's pages, with a
 * newer search winning over an older answer.
 */
import { ChatState, MemoryOutboxStore, Outbox, type AroundPage, type Message, type MessagePage, type SearchResults, type Session } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { gapsByAnchor, holesIn } from '../src/lib/stores/history-gaps.js';
import { MessagesStore } from '../src/lib/stores/messages-store.js';
import { SearchStore } from '../src/lib/stores/search-store.js';

const ME = '00000000-0000-4000-8000-000000000001';
const C = '20000000-0000-4000-8000-00000000000c';
const AT = '2026-01-01T00:00:00.000Z';
const id = (seq: number) => `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
const message = (seq: number, overrides: Partial<Message> = {}): Message => ({
  message_id: id(seq), conversation_id: C, sender_id: ME, content: `m${seq}`, seq, created_at: AT, edited_at: null, deleted: false, version: seq,
  reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [], ...overrides,
});
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A conversation of `total` messages as the server would page it (limit 50), and the requests made. */
function history(total: number) {
  const queries: Record<string, unknown>[] = [];
  const page = (seqs: number[], more: Partial<AroundPage>): MessagePage => ({ messages: seqs.filter((s) => s >= 1 && s <= total).map((s) => message(s)), has_more: false, ...more });
  const listMessages = async (_id: string, query: { around?: number; after?: number; limit?: number } = {}) => {
    queries.push(query);
    if (query.around !== undefined) return page(range(query.around - 25, query.around + 24), { has_more_before: query.around > 26, has_more_after: query.around + 24 < total });
    if (query.after !== undefined) return page(range(query.after + 1, query.after + 50), { has_more: query.after + 50 < total });
    return page(range(total - 49, total), { has_more: total > 50 });
  };
  return { listMessages: listMessages as never, queries };
}

function wired(total: number) {
  const state = new ChatState(() => ME, { windowSize: Number.POSITIVE_INFINITY });
  const session = { state, userId: ME } as unknown as Session;
  const api = history(total);
  const messages = new MessagesStore(() => session, new Outbox({ store: new MemoryOutboxStore() }), api);
  state.changes.on('messages', (cid) => messages.changed(cid));
  return { state, messages, api };
}

describe('history holes', () => {
  it('finds where held seqs skip, and anchors each gap at the top-level message before it', () => {
    const held = [1, 2, 3, 7, 8, 20].map((s) => message(s));
    expect(holesIn(held)).toEqual([3, 8]);
    expect(holesIn([])).toEqual([]);
    // 3 is a thread reply: its gap shows after 2; a gap before every top-level message shows first.
    const topLevel = [message(2), message(7), message(20)];
    expect([...gapsByAnchor([3, 8], topLevel)]).toEqual([[2, [3]], [7, [8]]]);
    expect([...gapsByAnchor([1], topLevel)]).toEqual([[0, [1]]]);
  });
});

describe('MessagesStore.jump', () => {
  it('loads the page around a message and the latest page, shows the hole between them, and fills it', async () => {
    const { state, messages, api } = wired(200);
    await messages.jump(C, 40);
    expect(api.queries).toEqual([{ around: 40, limit: 50 }, { limit: 50 }]);
    const view = messages.of(C).get();
    expect(view.messages.map((m) => m.seq)).toEqual([...range(15, 64), ...range(151, 200)]);
    expect(view).toMatchObject({ loaded: true, hasMore: true, gaps: [64], target: { seq: 40 } });
    await messages.loadNewer(C, 64);
    await messages.loadNewer(C, 114);
    expect(messages.of(C).get().gaps).toEqual([]);
    expect(state.messages(C).map((m) => m.seq)).toEqual(range(15, 200));
    // Held now: no request, a new target for the list to scroll to again.
    const before = messages.of(C).get().target!;
    await messages.jump(C, 40);
    expect(api.queries).toHaveLength(4);
    expect(messages.of(C).get().target).toEqual({ seq: 40, nonce: before.nonce + 1 });
    messages.clearTarget(C);
    await settle();
    expect(messages.of(C).get().target).toBeNull();
  });

  it('shows a hole between held messages as a gap until a page fills it', async () => {
    const { state, messages } = wired(10);
    state.applyHistory([message(1), message(2), message(5)]);
    expect(messages.of(C).get().gaps).toEqual([2]);
    await messages.loadNewer(C, 2);
    expect(messages.of(C).get().gaps).toEqual([]);
  });
});

describe('SearchStore', () => {
  const results = (cursor: string | null, ...ids: number[]): SearchResults => ({ results: ids.map((s) => ({ message: message(s), snippet: `m${s}`, highlights: [[0, 1]] })), next_cursor: cursor });

  it('shows the first page, appends the next, and keeps the filters in the request', async () => {
    const asked: unknown[] = [];
    const answers = [results('k', 1, 2), results(null, 3)];
    const store = new SearchStore({ search: async (q, o) => (asked.push({ q, ...o }), answers.shift()!) });
    await store.search('  lunch ', { conversationId: C, senderId: null, order: 'recent' });
    expect(store.view.get()).toMatchObject({ open: true, query: 'lunch', status: 'done', nextCursor: 'k' });
    await store.more();
    expect(store.view.get().results.map((r) => r.message.seq)).toEqual([1, 2, 3]);
    expect(asked).toEqual([
      { q: 'lunch', conversation_id: C, order: 'recent', limit: 20 },
      { q: 'lunch', conversation_id: C, order: 'recent', limit: 20, cursor: 'k' },
    ]);
    store.close();
    expect(store.view.get().open).toBe(false);
  });

  it('drops the answer of a search a newer one replaced', async () => {
    let release: (r: SearchResults) => void = () => {};
    const slow = new Promise<SearchResults>((resolve) => (release = resolve));
    const answers = [slow, Promise.resolve(results(null, 9))];
    const store = new SearchStore({ search: () => answers.shift()! });
    const first = store.search('old');
    await store.search('new');
    release(results(null, 1));
    await first;
    expect(store.view.get()).toMatchObject({ query: 'new', status: 'done' });
    expect(store.view.get().results.map((r) => r.message.seq)).toEqual([9]);
  });
});
