/**
 * Pins through the SDK against a real server: pin, unpin and listPins over REST; a session
 * holds the pins live, and after a reconnect holds the pins changed while it was cut off
 * (a deleted message's pin gone), as GET /conversations/{id}/pins reports them.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import type { Session } from '../src/session/session.js';
import { registeredClient, waitUntil } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

const suite = proxiedServerForSuite();
const { cleanups } = suite;

/** The pins a session holds, as message ids with who pinned them. */
const held = (session: Session, conversationId: string) => session.state.pins(conversationId).map((p) => `${p.message_id} by ${p.pinned_by}`);

describe('Pins in the SDK', () => {
  it('pins, unpins and lists over REST, refusing a non-member with not_member', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    const eve = await registeredClient(suite.server.url, 'eve');
    cleanups.push(() => alice.close(), () => bob.close(), () => eve.close());
    const conversation = await alice.createConversation({ title: 'pins', member_ids: [bob.user!.id] });
    const first = await alice.send(conversation.id, 'first');
    const second = await alice.send(conversation.id, 'second');
    await bob.pin(conversation.id, first.message_id);
    await alice.pin(conversation.id, second.message_id);
    await alice.pin(conversation.id, second.message_id);
    const pins = await bob.listPins(conversation.id);
    expect(pins.map((p) => [p.message.content, p.pinned_by])).toEqual([['second', alice.user!.id], ['first', bob.user!.id]]);
    await alice.unpin(conversation.id, first.message_id);
    expect((await alice.listPins(conversation.id)).map((p) => p.message.message_id)).toEqual([second.message_id]);
    const refused = await eve.pin(conversation.id, first.message_id).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(PneumaticError);
    expect(refused).toMatchObject({ code: 'not_member', status: 403 });
  });

  it('holds pins live, and after a reconnect those changed while cut off, as the server lists them', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const direct = await registeredClient(suite.server.url, 'bob');
    const bob = new PneumaticClient({ baseUrl: `http://127.0.0.1:${suite.proxy.port}`, token: direct.token!, user: direct.user! });
    cleanups.push(() => bob.close());
    const conversation = await alice.createConversation({ title: 'pins offline', member_ids: [bob.user!.id] });
    const [one, two, three] = [await alice.send(conversation.id, 'one'), await alice.send(conversation.id, 'two'), await alice.send(conversation.id, 'three')];
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    await alice.pin(conversation.id, one.message_id);
    await waitUntil(() => held(session, conversation.id).length === 1, 'the live pin');
    expect(held(session, conversation.id)).toEqual([`${one.message_id} by ${alice.user!.id}`]);

    suite.proxy.cut();
    await waitUntil(() => session.connectionState === 'reconnecting', 'bob notices');
    await alice.pin(conversation.id, two.message_id);
    await alice.pin(conversation.id, three.message_id);
    await alice.unpin(conversation.id, one.message_id);
    await alice.deleteMessage(three.message_id);
    expect(held(session, conversation.id)).toHaveLength(1);

    suite.proxy.restore();
    await waitUntil(() => session.connectionState === 'live', 'bob is live again');
    const head = (await alice.getConversation(conversation.id)).last_event_seq;
    await waitUntil(() => session.positions()[conversation.id] === head, 'bob caught up');
    const listed = await alice.listPins(conversation.id);
    expect(listed.map((p) => p.message.message_id)).toEqual([two.message_id]);
    expect(session.state.pins(conversation.id)).toEqual(listed.map((p) => ({ message_id: p.message.message_id, pinned_by: p.pinned_by, pinned_at: p.pinned_at })));
  });
});
