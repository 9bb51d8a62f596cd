/**
 * The session on the change feed against a real server: changes made while a client is cut off
 * (edits, deletes, a rename, a member removed and one added, read positions) are in its state
 * after it reconnects, as the REST API reports them; a lost frame is filled from the
 * conversation's events without a reconnect; a later session resumes from saved positions.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import type { Session } from '../src/session/session.js';
import { defaultWebSocketFactory } from '../src/session/websocket.js';
import type { Conversation, Message } from '../src/types.js';
import { collectMessages, interceptingFactory, registeredClient, storedMessages, waitUntil } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

const suite = proxiedServerForSuite();
const { cleanups } = suite;

/** A registered client whose HTTP and socket go through the proxy the test can cut. */
async function behindProxy(prefix: string): Promise<PneumaticClient> {
  const direct = await registeredClient(suite.server.url, prefix);
  const client = new PneumaticClient({ baseUrl: `http://127.0.0.1:${suite.proxy.port}`, token: direct.token!, user: direct.user! });
  cleanups.push(() => client.close());
  return client;
}

/** Asserts the session holds what the REST API says about the conversation. */
async function expectSameAsServer(session: Session, reader: PneumaticClient, conversationId: string): Promise<Conversation> {
  const conversation = await reader.getConversation(conversationId);
  const held = session.state.conversation(conversationId)!;
  expect(held.title).toBe(conversation.title);
  const members = (c: Conversation) => c.members.map((m) => `${m.user_id}:${m.role}`).sort();
  expect(members(held)).toEqual(members(conversation));
  for (const member of conversation.members) expect(session.state.readPosition(conversationId, member.user_id)).toBe(member.last_read_seq);
  const stored = await storedMessages(reader, conversationId);
  const window = session.state.messages(conversationId);
  expect(window).toEqual(stored.filter((m) => m.seq >= (window[0]?.seq ?? Infinity)));
  return conversation;
}

describe('Session on the change feed', () => {
  it('after a reconnect holds every edit, delete, rename, membership change and read made while it was cut off, as the REST API reports them', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const carol = await registeredClient(suite.server.url, 'carol');
    const dave = await registeredClient(suite.server.url, 'dave');
    const bob = await behindProxy('bob');
    cleanups.push(() => alice.close());
    const conversation = await alice.createConversation({ title: 'before', member_ids: [bob.user!.id, carol.user!.id] });
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    const got = collectMessages(session, conversation.id);
    const first = await alice.send(conversation.id, 'first');
    const second = await alice.send(conversation.id, 'second');
    await waitUntil(() => got.length === 2, 'both messages live');

    const events: string[] = [];
    session.on('message.updated', (m) => events.push(`updated ${m.content || '(deleted)'}`));
    session.on('conversation.updated', ({ conversation: c }) => events.push(`title ${c.title}`));
    session.on('member.removed', ({ user_id }) => events.push(`removed ${user_id}`));
    session.on('member.added', ({ user_id }) => events.push(`added ${user_id}`));
    session.on('read', ({ user_id, seq }) => events.push(`read ${user_id} ${seq}`));
    suite.proxy.cut();
    await waitUntil(() => session.connectionState === 'reconnecting', 'bob notices');
    await alice.editMessage(first.message_id, 'first, edited');
    await alice.deleteMessage(second.message_id);
    await alice.renameConversation(conversation.id, 'after');
    await alice.removeMember(conversation.id, carol.user!.id);
    await alice.addMember(conversation.id, dave.user!.id);
    const third = await alice.send(conversation.id, 'third');
    await alice.markRead(conversation.id, third.seq);
    expect(events).toEqual([]);

    suite.proxy.restore();
    await waitUntil(() => session.connectionState === 'live', 'bob is live again');
    await expectSameAsServer(session, alice, conversation.id);
    expect(session.state.messages(conversation.id).map((m) => [m.content, m.deleted])).toEqual([['first, edited', false], ['', true], ['third', false]]);
    expect(session.state.conversation(conversation.id)?.title).toBe('after');
    // Read positions are not events: each is announced where the sync first shows it moved.
    expect(events.filter((e) => !e.startsWith('read'))).toEqual([
      'updated first, edited',
      'updated (deleted)',
      'title after',
      `removed ${carol.user!.id}`,
      `added ${dave.user!.id}`,
    ]);
    expect(events.filter((e) => e.startsWith('read'))).toEqual([`read ${alice.user!.id} 3`]);
    expect(got.map((m) => m.content)).toEqual(['first', 'second', 'third']);
    expect(session.positions()[conversation.id]).toBe((await alice.getConversation(conversation.id)).last_event_seq);
  });

  it('learns while cut off that it was removed from one conversation and added to another', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await behindProxy('bob');
    cleanups.push(() => alice.close());
    const leaving = await alice.createConversation({ title: 'leaving', member_ids: [bob.user!.id] });
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    const removed: string[] = [];
    const added: string[] = [];
    session.on('member.removed', (e) => removed.push(`${e.conversation_id} ${e.user_id}`));
    session.on('member.added', (e) => added.push(`${e.conversation.id} ${e.user_id}`));
    suite.proxy.cut();
    await waitUntil(() => session.connectionState === 'reconnecting', 'bob notices');
    await alice.removeMember(leaving.id, bob.user!.id);
    const joining = await alice.createConversation({ title: 'joining', member_ids: [] });
    await alice.send(joining.id, 'said before bob joined');
    await alice.addMember(joining.id, bob.user!.id);
    suite.proxy.restore();
    await waitUntil(() => session.connectionState === 'live', 'bob is live again');

    expect(removed).toEqual([`${leaving.id} ${bob.user!.id}`]);
    expect(added).toEqual([`${joining.id} ${bob.user!.id}`]);
    expect(session.state.conversation(leaving.id)).toBeUndefined();
    expect(session.positions()[leaving.id]).toBeUndefined();
    await expectSameAsServer(session, alice, joining.id);
    expect(session.state.messages(joining.id).map((m) => m.content)).toEqual(['said before bob joined']);
    expect(session.state.unreadCount(joining.id)).toBe(1);
  });

  it('fills a gap left by a lost frame from the conversation events, without reconnecting', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    cleanups.push(() => alice.close(), () => bob.close());
    const conversation = await alice.createConversation({ title: 'gap', member_ids: [bob.user!.id] });
    let lost = 0;
    const factory = interceptingFactory(await defaultWebSocketFactory(), (frame) => {
      // Lose the frame of the first edit, as a lost publish between server processes would.
      if (frame.type !== 'message.updated' || lost > 0) return false;
      lost++;
      return true;
    });
    const session = await bob.connect({ webSocket: factory });
    const states: string[] = [];
    session.on('state', (s) => states.push(s.state));
    const got = collectMessages(session, conversation.id);
    const updated: Message[] = [];
    session.on('message.updated', (m) => updated.push(m));
    const message = await alice.send(conversation.id, 'one');
    await waitUntil(() => got.length === 1, 'the message');
    await alice.editMessage(message.message_id, 'one, edited');
    await alice.send(conversation.id, 'two');
    await waitUntil(() => got.length === 2, 'the second message');

    expect(lost).toBe(1);
    expect(updated.map((m) => m.content)).toEqual(['one, edited']);
    expect(got.map((m) => m.content)).toEqual(['one', 'two']);
    expect(states).toEqual([]);
    await expectSameAsServer(session, alice, conversation.id);
  });

  it('resumes a later session from saved positions, announcing only what changed since', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    cleanups.push(() => alice.close(), () => bob.close());
    const conversation = await alice.createConversation({ title: 'resume', member_ids: [bob.user!.id] });
    const seen = await alice.send(conversation.id, 'seen');
    const first = await bob.connect();
    await waitUntil(() => first.state.messages(conversation.id).length === 1, 'the snapshot');
    const saved = first.positions();
    first.close();

    await alice.send(conversation.id, 'missed');
    await alice.editMessage(seen.message_id, 'seen, edited');
    await alice.renameConversation(conversation.id, 'resumed');
    const second = await bob.connect({ positions: saved });
    // connect() resolves once caught up: read what it holds.
    expect(second.state.conversation(conversation.id)?.title).toBe('resumed');
    expect(second.state.messages(conversation.id).map((m) => m.content)).toEqual(['missed']);
    expect(second.state.unreadCount(conversation.id)).toBe(2);
    expect(second.positions()[conversation.id]).toBe((await alice.getConversation(conversation.id)).last_event_seq);
  });
});
