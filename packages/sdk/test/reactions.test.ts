/**
 * Reactions in the session's state against a real server: counts follow the events' `count`,
 * your own reactions come from events naming you (any of your devices), from sync snapshots and
 * from history pages (`my_reactions`); after a reconnect the state holds the reactions changed
 * while the client was cut off, as the REST API reports them.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import type { Session } from '../src/session/session.js';
import { registeredClient, storedMessages, waitUntil } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

const suite = proxiedServerForSuite();
const { cleanups } = suite;

/** A second device of the same user, connected directly. */
function sameUser(client: PneumaticClient): PneumaticClient {
  const other = new PneumaticClient({ baseUrl: suite.server.url, token: client.token!, user: client.user! });
  cleanups.push(() => other.close());
  return other;
}

/** The reactions the state shows, as the server reports them (who reacted, and whether `userId` did). */
async function expectReactionsAsServer(session: Session, reader: PneumaticClient, conversationId: string): Promise<void> {
  const stored = await storedMessages(reader, conversationId);
  expect(session.state.messages(conversationId)).toEqual(stored.filter((m) => m.seq >= (session.state.messages(conversationId)[0]?.seq ?? Infinity)));
  for (const message of session.state.messages(conversationId)) {
    const who = await reader.listReactions(message.message_id);
    const expected = who.map(({ emoji, count, user_ids }) => ({ emoji, count, mine: user_ids.includes(session.userId) }));
    expect(session.state.reactions(conversationId, message.message_id)).toEqual(expected);
  }
}

describe('Session reactions', () => {
  it('react and unreact: yours at once, counts from the events, seen live by another member', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    cleanups.push(() => alice.close(), () => bob.close());
    const conversation = await alice.createConversation({ title: 'reactions', member_ids: [bob.user!.id] });
    const [aliceSession, bobSession] = [await alice.connect(), await bob.connect()];
    const message = await alice.send(conversation.id, 'react to me');
    await waitUntil(() => bobSession.state.messages(conversation.id).length === 1, 'bob has the message');
    const events: string[] = [];
    aliceSession.on('reaction.added', (e) => events.push(`+${e.emoji} ${e.count}`));
    aliceSession.on('reaction.removed', (e) => events.push(`-${e.emoji} ${e.count}`));
    const shown = (session: Session) => session.state.reactions(conversation.id, message.message_id);

    await bobSession.react(message.message_id, '👍');
    await waitUntil(() => shown(aliceSession)[0]?.count === 1 && shown(bobSession)[0]?.count === 1, 'both see the count');
    expect(shown(bobSession)).toEqual([{ emoji: '👍', count: 1, mine: true }]);
    expect(shown(aliceSession)).toEqual([{ emoji: '👍', count: 1, mine: false }]);
    await aliceSession.react(message.message_id, '👍');
    await aliceSession.react(message.message_id, '🎉');
    await waitUntil(() => shown(bobSession).length === 2 && shown(bobSession)[0]!.count === 2, 'bob sees both');
    expect(shown(aliceSession)).toEqual([{ emoji: '👍', count: 2, mine: true }, { emoji: '🎉', count: 1, mine: true }]);
    await bobSession.unreact(message.message_id, '👍');
    expect(shown(bobSession)[0]).toMatchObject({ emoji: '👍', mine: false });
    await waitUntil(() => shown(aliceSession)[0]?.count === 1, 'alice sees bob take it back');
    expect(events).toEqual(['+👍 1', '+👍 2', '+🎉 1', '-👍 1']);
    expect(await bob.listReactions(message.message_id)).toEqual([
      { emoji: '👍', count: 1, user_ids: [alice.user!.id] },
      { emoji: '🎉', count: 1, user_ids: [alice.user!.id] },
    ]);
  });

  it('after a reconnect holds the reactions changed while it was cut off, its own from another device included', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const direct = await registeredClient(suite.server.url, 'bob');
    cleanups.push(() => alice.close());
    const bob = new PneumaticClient({ baseUrl: `http://127.0.0.1:${suite.proxy.port}`, token: direct.token!, user: direct.user! });
    cleanups.push(() => bob.close());
    const conversation = await alice.createConversation({ title: 'offline', member_ids: [bob.user!.id] });
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    const [first, second] = [await alice.send(conversation.id, 'first'), await alice.send(conversation.id, 'second')];
    await waitUntil(() => session.state.messages(conversation.id).length === 2, 'both messages live');
    await session.react(first.message_id, '👍');
    await waitUntil(() => session.state.reactions(conversation.id, first.message_id)[0]?.count === 1, 'its own count');

    suite.proxy.cut();
    await waitUntil(() => session.connectionState === 'reconnecting', 'bob notices');
    const phone = sameUser(direct);
    await phone.removeReaction(first.message_id, '👍');
    await phone.addReaction(second.message_id, '❤️');
    await alice.addReaction(first.message_id, '🎉');
    await alice.addReaction(second.message_id, '❤️');
    await alice.addReaction(second.message_id, '😂');
    await alice.removeReaction(second.message_id, '😂');
    expect(session.state.reactions(conversation.id, first.message_id)).toEqual([{ emoji: '👍', count: 1, mine: true }]);

    suite.proxy.restore();
    await waitUntil(() => session.connectionState === 'live', 'bob is live again');
    expect(session.state.reactions(conversation.id, first.message_id)).toEqual([{ emoji: '🎉', count: 1, mine: false }]);
    expect(session.state.reactions(conversation.id, second.message_id)).toEqual([{ emoji: '❤️', count: 2, mine: true }]);
    await expectReactionsAsServer(session, alice, conversation.id);
  });

  it('a new session learns its own reactions from the sync snapshot and from history pages', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    cleanups.push(() => alice.close(), () => bob.close());
    const conversation = await alice.createConversation({ title: 'history', member_ids: [bob.user!.id] });
    const sent = [];
    for (let i = 1; i <= 4; i++) sent.push(await alice.send(conversation.id, `m${i}`));
    await bob.addReaction(sent[0]!.message_id, '👀');
    await bob.addReaction(sent[3]!.message_id, '✅');
    await alice.addReaction(sent[3]!.message_id, '✅');

    const session = await bob.connect({ snapshotMessages: 2 });
    expect(session.state.messages(conversation.id).map((m) => m.seq)).toEqual([3, 4]);
    expect(session.state.reactions(conversation.id, sent[3]!.message_id)).toEqual([{ emoji: '✅', count: 2, mine: true }]);
    await session.loadHistory(conversation.id, 2);
    expect(session.state.reactions(conversation.id, sent[0]!.message_id)).toEqual([{ emoji: '👀', count: 1, mine: true }]);
    await expectReactionsAsServer(session, alice, conversation.id);
  });
});
