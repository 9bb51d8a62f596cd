/**
 * The SDK's search and around requests as they leave the client (a fake fetch records them):
 * the query string they build, and searchPages following next_cursor, one request per page.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../../src/client.js';
import type { FetchLike } from '../../src/http-client.js';
import type { SearchResults } from '../../src/types.js';

/** A client whose requests are recorded and answered from `answers`, in order. */
function recordingClient(answers: unknown[]): { client: PneumaticClient; urls: URL[] } {
  const urls: URL[] = [];
  const fetch: FetchLike = async (input) => {
    urls.push(new URL(input));
    const body = JSON.stringify(answers.shift() ?? { results: [], next_cursor: null });
    return { status: 200, headers: { get: (name: string) => (name.toLowerCase() === 'content-type' ? 'application/json' : null) }, text: async () => body };
  };
  return { client: new PneumaticClient({ baseUrl: 'http://fake.test/', token: 't', fetch }), urls };
}

const page = (cursor: string | null, ids: string[]): SearchResults => ({ results: ids.map((id) => ({ message: { message_id: id } as never, snippet: id, highlights: [] })), next_cursor: cursor });

describe('client.search', () => {
  it('asks GET /search/messages with q and the options given, leaving out those not given', async () => {
    const { client, urls } = recordingClient([]);
    await client.search('café "two words" from:ana', { conversation_id: 'c1', sender_id: 's1', order: 'recent', limit: 5, after: '2026-01-01T00:00:00.000Z' });
    expect(urls[0]!.pathname).toBe('/search/messages');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({
      q: 'café "two words" from:ana',
      conversation_id: 'c1',
      sender_id: 's1',
      order: 'recent',
      limit: '5',
      after: '2026-01-01T00:00:00.000Z',
    });
    await client.search('a&b=c#d');
    expect(Object.fromEntries(urls[1]!.searchParams)).toEqual({ q: 'a&b=c#d' });
  });

  it('searchPages follows next_cursor with the same query and options until it is null', async () => {
    const { client, urls } = recordingClient([page('k1', ['a', 'b']), page('k2', ['c', 'd']), page(null, ['e'])]);
    const seen: string[] = [];
    for await (const p of client.searchPages('lunch', { limit: 2, order: 'relevance' })) seen.push(...p.results.map((r) => r.message.message_id));
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(urls.map((u) => u.searchParams.get('cursor'))).toEqual([null, 'k1', 'k2']);
    expect(urls.every((u) => u.searchParams.get('q') === 'lunch' && u.searchParams.get('limit') === '2' && u.searchParams.get('order') === 'relevance')).toBe(true);
  });

  it('searchPages asks for no page the loop does not take, and starts at a given cursor', async () => {
    const { client, urls } = recordingClient([page('k1', ['a']), page('k2', ['b'])]);
    for await (const p of client.searchPages('lunch', { cursor: 'k0' })) {
      expect(p.results).toHaveLength(1);
      break;
    }
    expect(urls.map((u) => u.searchParams.get('cursor'))).toEqual(['k0']);
  });
});

describe('client.listMessages with around', () => {
  it('asks for the page around a seq', async () => {
    const { client, urls } = recordingClient([{ messages: [], has_more: false, has_more_before: false, has_more_after: false }]);
    const p = await client.listMessages('c1', { around: 42, limit: 9 });
    expect(p).toEqual({ messages: [], has_more: false, has_more_before: false, has_more_after: false });
    expect(urls[0]!.pathname).toBe('/conversations/c1/messages');
    expect(Object.fromEntries(urls[0]!.searchParams)).toEqual({ around: '42', limit: '9' });
  });
});
