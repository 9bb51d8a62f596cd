import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import { defaultWebSocketFactory } from '../src/session/websocket.js';
import type { Session } from '../src/session/session.js';
import { collectMessages, interceptingFactory, registeredClient, storedMessages, uniqueName, waitUntil } from './helpers.js';

describe('PneumaticClient against a real server', () => {
  let server: TestServer;
  let alice: PneumaticClient;
  let bob: PneumaticClient;
  const sessions: Session[] = [];
  beforeAll(async () => {
    server = await startServer({ dialect: 'sqlite' });
    alice = await registeredClient(server.url, 'alice');
    bob = await registeredClient(server.url, 'bob');
  });
  afterAll(async () => {
    for (const s of sessions) s.close();
    alice.close();
    bob.close();
    await server.close();
  });

  describe('REST', () => {
    it('registers, logs in, finds users and reports wire errors as PneumaticError with the code', async () => {
      const name = uniqueName('carol');
      const carol = new PneumaticClient({ baseUrl: server.url });
      const registered = await carol.register(name, 'correct horse battery');
      expect(carol.user?.username).toBe(name);
      const again = new PneumaticClient({ baseUrl: server.url });
      const loggedIn = await again.login(name, 'correct horse battery');
      expect(loggedIn.user.id).toBe(registered.user.id);
      expect(loggedIn.token).not.toBe(registered.token);
      expect((await again.findUsers(name.toUpperCase())).map((u) => u.id)).toEqual([registered.user.id]);
      expect((await again.getUser(registered.user.id)).username).toBe(name);

      const taken = await new PneumaticClient({ baseUrl: server.url }).register(name, 'correct horse battery').catch((e: unknown) => e);
      expect(taken).toBeInstanceOf(PneumaticError);
      expect((taken as PneumaticError).code).toBe('username_taken');
      expect((taken as PneumaticError).status).toBe(409);

      await again.logout();
      expect(again.token).toBeNull();
      const revoked = await new PneumaticClient({ baseUrl: server.url, token: loggedIn.token }).me().catch((e: unknown) => e);
      expect((revoked as PneumaticError).status).toBe(401);
      expect(await carol.me()).toMatchObject({ id: registered.user.id });
      expect(await carol.health()).toBe(true);
      expect(await carol.ready()).toBe(true);
    });

    it('covers conversations, members, history, edits, deletes and read positions', async () => {
      const conversation = await alice.createConversation({ title: 'rest', member_ids: [] });
      expect(conversation.members.map((m) => m.role)).toEqual(['owner']);
      expect((await alice.addMember(conversation.id, bob.user!.id)).user_id).toBe(bob.user!.id);
      const first = await alice.postMessage({ message_id: crypto.randomUUID(), conversation_id: conversation.id, content: 'one' });
      const second = await bob.postConversationMessage(conversation.id, { message_id: crypto.randomUUID(), content: 'two' });
      expect([first.seq, second.seq]).toEqual([1, 2]);
      expect((await alice.editMessage(first.message_id, 'uno')).edited_at).not.toBeNull();
      await bob.deleteMessage(second.message_id);
      const page = await alice.listMessages(conversation.id, { after: 0 });
      expect(page.messages.map((m) => [m.content, m.deleted])).toEqual([['uno', false], ['', true]]);
      await bob.markRead(conversation.id, 1);
      expect((await alice.getConversation(conversation.id)).members.find((m) => m.user_id === bob.user!.id)?.last_read_seq).toBe(1);
      const listed = await bob.listConversations({ limit: 10 });
      expect(listed.conversations.some((c) => c.id === conversation.id)).toBe(true);
      await bob.removeMember(conversation.id, bob.user!.id);
      const gone = await bob.getConversation(conversation.id).catch((e: unknown) => e);
      expect((gone as PneumaticError).code).toBe('not_member');
    });
  });

  describe('live session', () => {
    it('delivers a message sent by one client to the other, with typing and read events and local state', async () => {
      const conversation = await alice.createConversation({ title: 'live', member_ids: [bob.user!.id] });
      const aliceSession = await alice.connect();
      const bobSession = await bob.connect();
      sessions.push(aliceSession, bobSession);
      const bobGot = collectMessages(bobSession, conversation.id);
      const typing: string[] = [];
      bobSession.on('typing', (e) => typing.push(e.user_id));
      const reads: Array<[string, number]> = [];
      aliceSession.on('read', (e) => reads.push([e.user_id, e.seq]));

      expect(aliceSession.typing(conversation.id)).toBe(true);
      await waitUntil(() => typing.length === 1, 'typing');
      expect(bobSession.state.typingUsers(conversation.id)).toEqual([alice.user!.id]);

      const stored = await aliceSession.send(conversation.id, 'hello bob');
      expect(stored).toMatchObject({ conversation_id: conversation.id, sender_id: alice.user!.id, content: 'hello bob', seq: 1 });
      await waitUntil(() => bobGot.length === 1, 'bob receives the message');
      expect(bobGot[0]).toEqual(stored);
      expect(bobSession.state.messages(conversation.id)).toEqual([stored]);
      expect(bobSession.state.unreadCount(conversation.id)).toBe(1);
      // A message ends its sender's typing indicator.
      expect(bobSession.state.typingUsers(conversation.id)).toEqual([]);

      await bobSession.markRead(conversation.id, stored.seq);
      expect(bobSession.state.unreadCount(conversation.id)).toBe(0);
      await waitUntil(() => reads.some(([u, s]) => u === bob.user!.id && s === 1), 'alice sees bob read it');
      expect(aliceSession.state.readPositions(conversation.id).get(bob.user!.id)).toBe(1);
      expect(aliceSession.state.readPositions(conversation.id).has(alice.user!.id)).toBe(false);

      const edited = await alice.editMessage(stored.message_id, 'hello, bob');
      await waitUntil(() => bobSession.state.messages(conversation.id)[0]?.content === 'hello, bob', 'the edit reaches bob');
      expect(bobSession.state.messages(conversation.id)[0]).toEqual(edited);
    });

    it('tells members about membership changes', async () => {
      const bobSession = bob.activeSession!;
      const added: string[] = [];
      const removed: string[] = [];
      bobSession.on('member.added', (e) => added.push(e.conversation.id));
      bobSession.on('member.removed', (e) => removed.push(e.conversation_id));
      const conversation = await alice.createConversation({ title: 'membership', member_ids: [bob.user!.id] });
      await waitUntil(() => added.includes(conversation.id), 'member.added');
      expect(bobSession.state.conversation(conversation.id)?.title).toBe('membership');
      await alice.removeMember(conversation.id, bob.user!.id);
      await waitUntil(() => removed.includes(conversation.id), 'member.removed');
      expect(bobSession.state.conversation(conversation.id)).toBeUndefined();
    });

    it('rejects a send the server refuses for good, without retrying', async () => {
      const aliceSession = alice.activeSession!;
      const stranger = await alice.createConversation({ title: 'alone', member_ids: [] });
      await alice.removeMember(stranger.id, alice.user!.id);
      const error = await aliceSession.send(stranger.id, 'nobody here').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PneumaticError);
      expect((error as PneumaticError).code).toBe('not_member');
      expect(alice.outbox.pending()).toEqual([]);
    });
  });

  describe('resend after a lost ack', () => {
    for (const how of ['the ack never arrives (ack timeout)', 'the connection drops with the ack']) {
      it(`stores one message when ${how}`, async () => {
        const sender = await registeredClient(server.url, 'lossy');
        const receiver = await registeredClient(server.url, 'recv');
        const conversation = await sender.createConversation({ title: 'lost ack', member_ids: [receiver.user!.id] });
        let dropped = 0;
        let acks = 0;
        const factory = interceptingFactory(await defaultWebSocketFactory(), (frame, socket) => {
          if (frame.type !== 'ack') return false;
          acks++;
          if (dropped > 0) return false;
          dropped++;
          if (how.includes('drops')) {
            // `ws` can drop the TCP connection; the built-in WebSocket (Node 22+) can only close it.
            const live = socket as unknown as { terminate?: () => void; close(code?: number): void };
            if (live.terminate) live.terminate();
            else live.close(4000);
          }
          return true;
        });
        const receiverSession = await receiver.connect();
        const got = collectMessages(receiverSession, conversation.id);
        const session = await sender.connect({ webSocket: factory, ackTimeoutMs: 300, backoff: { initialDelayMs: 20, maxDelayMs: 100 } });
        const stored = await session.send(conversation.id, 'exactly once');
        expect(dropped).toBe(1);
        expect(acks).toBe(2);
        const all = await storedMessages(sender, conversation.id);
        expect(all.map((m) => m.message_id)).toEqual([stored.message_id]);
        await waitUntil(() => got.length === 1, 'the receiver gets it');
        await new Promise((r) => setTimeout(r, 200));
        expect(got.map((m) => m.message_id)).toEqual([stored.message_id]);
        session.close();
        receiverSession.close();
      });
    }
  });

  describe('outbox without a session', () => {
    it('sends over HTTP, and a store carries unacknowledged sends to a new client of the same user', async () => {
      const { MemoryOutboxStore } = await import('../src/outbox-store.js');
      const store = new MemoryOutboxStore();
      const conversation = await alice.createConversation({ title: 'outbox', member_ids: [] });
      // A send left behind by a previous page/process (never acknowledged).
      const leftover = { message_id: crypto.randomUUID(), conversation_id: conversation.id, content: 'from before the reload', user_id: alice.user!.id, created_at: Date.now(), deadline_at: null };
      store.save(leftover);
      store.save({ ...leftover, message_id: crypto.randomUUID(), user_id: bob.user!.id, content: 'not alice' });
      const reloaded = new PneumaticClient({ baseUrl: server.url, token: alice.token!, outboxStore: store });
      const sentEvents: string[] = [];
      reloaded.outbox.on('sent', (e) => sentEvents.push(e.message.message_id));
      const fresh = await reloaded.send(conversation.id, 'after the reload');
      await waitUntil(() => sentEvents.length === 2, 'both sends acknowledged');
      const stored = await storedMessages(alice, conversation.id);
      expect(stored.map((m) => m.content)).toEqual(['from before the reload', 'after the reload']);
      expect(stored[0]!.message_id).toBe(leftover.message_id);
      expect(stored[1]).toEqual(fresh);
      expect(store.load().map((e) => e.content)).toEqual(['not alice']);
      reloaded.close();
    });

    it('gives up at the caller-set deadline when the server cannot be reached', async () => {
      // The same user against an unreachable server: every attempt is a network error until the deadline.
      const offline = new PneumaticClient({ baseUrl: 'http://127.0.0.1:9', token: alice.token!, user: alice.user!, sendBackoff: { initialDelayMs: 10, maxDelayMs: 50 } });
      const retries: string[] = [];
      offline.outbox.on('retry', (e) => retries.push(e.error.code));
      const started = Date.now();
      const error = await offline.send(crypto.randomUUID(), 'lost', { timeoutMs: 400 }).catch((e: unknown) => e);
      expect((error as PneumaticError).code).toBe('deadline_exceeded');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(retries.length).toBeGreaterThan(1);
      expect(new Set(retries)).toEqual(new Set(['network']));
      expect(offline.outbox.pending()).toEqual([]);
      offline.close();
    });
  });
});
