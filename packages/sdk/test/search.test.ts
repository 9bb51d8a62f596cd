/**
 * Search and jump-to-message through the SDK against a real server (issue #17): typed results
 * with snippets and highlights, paging with searchPages, the filters, a refused query as a
 * PneumaticError, and the history page around a result's seq. The hits need the database's
 * search provider (the placeholder finds nothing).
 */
import { describe, expect, it } from 'vitest';
import { PneumaticError } from '../src/errors.js';
import type { Message, SearchResult } from '../src/types.js';
import { registeredClient } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const suite = proxiedServerForSuite();
const { cleanups } = suite;

/** The highlighted parts of a result's snippet. */
const marked = (result: SearchResult) => result.highlights.map(([start, end]) => result.snippet.slice(start, end));

describe('Search in the SDK', () => {
  it('finds the messages of your conversations only, with highlights, pages every hit once and filters', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    const eve = await registeredClient(suite.server.url, 'eve');
    cleanups.push(() => alice.close(), () => bob.close(), () => eve.close());
    const shared = await alice.createConversation({ title: 'kitchen', member_ids: [bob.user!.id] });
    const other = await alice.createConversation({ title: 'garden', member_ids: [] });
    const secret = await eve.createConversation({ title: 'eve only', member_ids: [] });
    const sent: Message[] = [];
    for (let i = 1; i <= 5; i++) sent.push(await (i % 2 ? alice : bob).send(shared.id, `Pineapple number ${i} is ripe`));
    sent.push(await alice.send(other.id, 'a pineapple in the garden'));
    await alice.send(shared.id, 'nothing to see here');
    await eve.send(secret.id, 'pineapple for eve');

    const first = await alice.search('pineapple', { limit: 2, order: 'recent' });
    expect(first.results).toHaveLength(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(first.results[0]!.message).toEqual(sent.at(-1));
    expect(marked(first.results[0]!)).toEqual(['pineapple']);

    const ids: string[] = [];
    for await (const page of alice.searchPages('pineapple', { limit: 2, order: 'recent' })) ids.push(...page.results.map((r) => r.message.message_id));
    expect(ids).toEqual(sent.map((m) => m.message_id).reverse());

    const inShared = await alice.search('PINEAPPLE', { conversation_id: shared.id, sender_id: bob.user!.id });
    expect(inShared.results.map((r) => r.message.content).sort()).toEqual(['Pineapple number 2 is ripe', 'Pineapple number 4 is ripe']);
    expect(inShared.results.flatMap(marked)).toEqual(['Pineapple', 'Pineapple']);
    expect((await bob.search('pineapple garden')).results).toEqual([]);
  });

  it('rejects an empty query with a PneumaticError invalid_query (400)', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const refused = await alice.search('   ').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'invalid_query', status: 400 });
  });

  it('loads the history around a message, with whether more lies on each side', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const c = await alice.createConversation({ title: 'around', member_ids: [] });
    for (let i = 1; i <= 9; i++) await alice.send(c.id, `line ${i}`);
    const page = await alice.listMessages(c.id, { around: 5, limit: 3 });
    expect(page.messages.map((m) => m.content)).toEqual(['line 4', 'line 5', 'line 6']);
    expect([page.has_more_before, page.has_more_after, page.has_more]).toEqual([true, true, true]);
    const older = await alice.listMessages(c.id, { before: page.messages[0]!.seq, limit: 10 });
    expect(older.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
  });
});
