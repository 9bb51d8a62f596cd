/**
 * Replies and threads through the SDK against a real server: a send with threadRootId and
 * replyToId, thread pages, read positions (your other device hears a thread.read frame), follows
 * and GET /threads; and a session that was cut off holds, after it reconnects, the reply posted
 * meanwhile and its root's new summary.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import { PneumaticError } from '../src/errors.js';
import { registeredClient, waitUntil } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

const suite = proxiedServerForSuite();
const { cleanups } = suite;

describe('Threads in the SDK', () => {
  it('sends replies with threadRootId / replyToId, pages the thread, and keeps read positions across devices', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const bob = await registeredClient(suite.server.url, 'bob');
    const bobPhone = new PneumaticClient({ baseUrl: suite.server.url, token: bob.token!, user: bob.user! });
    cleanups.push(() => alice.close(), () => bob.close(), () => bobPhone.close());
    const conversation = await alice.createConversation({ title: 'threads', member_ids: [bob.user!.id] });
    const root = await alice.send(conversation.id, 'ship it?');
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    const phone = await bobPhone.connect({ backoff: FAST_RECONNECT });

    const reply = await session.send(conversation.id, 'agreed', { threadRootId: root.message_id, replyToId: root.message_id });
    expect(reply).toMatchObject({ thread_root_id: root.message_id, reply_to_id: root.message_id, thread: null });
    const second = await alice.send(conversation.id, 'shipping', { threadRootId: root.message_id });
    await waitUntil(() => session.state.threadReplies(conversation.id, root.message_id).length === 2, 'both replies, live');
    await waitUntil(() => session.state.threadRoot(conversation.id, root.message_id)?.thread?.reply_count === 2, 'the root’s summary');
    // Posting marked the thread read up to bob's own reply.
    expect(session.state.threadReadSeq(root.message_id)).toBe(reply.seq);

    const page = await phone.threads.load(root.message_id, { limit: 1 });
    expect(page.messages.map((m) => m.message_id)).toEqual([second.message_id]);
    expect(page.has_more).toBe(true);
    expect(phone.state.threadReplies(conversation.id, root.message_id).map((m) => m.content)).toEqual(['agreed', 'shipping']);

    // Read on the phone: the laptop's session hears it as a thread.read frame.
    const position = await phone.threads.markRead(root.message_id, second.seq);
    expect(position).toEqual({ message_id: root.message_id, conversation_id: conversation.id, last_read_seq: second.seq });
    await waitUntil(() => session.state.threadReadSeq(root.message_id) === second.seq, 'the thread.read frame');

    const followed = await session.threads.list();
    expect(followed.map((t) => [t.root.message_id, t.last_read_seq, t.unread_count])).toEqual([[root.message_id, second.seq, 0]]);
    await session.threads.unfollow(root.message_id);
    expect(await session.threads.list()).toEqual([]);
    await session.threads.follow(root.message_id);
    expect(await bob.listThreads()).toHaveLength(1);

    const nested = await bob.send(conversation.id, 'deeper', { threadRootId: reply.message_id }).catch((error: unknown) => error);
    expect(nested).toBeInstanceOf(PneumaticError);
    expect(nested).toMatchObject({ code: 'nested_thread' });
  });

  it('after a reconnect holds the reply posted while cut off and its root’s reply_count', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const direct = await registeredClient(suite.server.url, 'bob');
    const bob = new PneumaticClient({ baseUrl: `http://127.0.0.1:${suite.proxy.port}`, token: direct.token!, user: direct.user! });
    cleanups.push(() => bob.close());
    const conversation = await alice.createConversation({ title: 'threads offline', member_ids: [bob.user!.id] });
    const root = await alice.send(conversation.id, 'root');
    const session = await bob.connect({ backoff: FAST_RECONNECT });
    await session.threads.load(root.message_id);
    await waitUntil(() => session.state.messages(conversation.id).length === 1, 'the root');

    suite.proxy.cut();
    await waitUntil(() => session.connectionState === 'reconnecting', 'bob notices');
    const offline = await alice.send(conversation.id, 'while you were away', { threadRootId: root.message_id });
    expect(session.state.threadReplies(conversation.id, root.message_id)).toEqual([]);

    suite.proxy.restore();
    await waitUntil(() => session.connectionState === 'live', 'bob is live again');
    const head = (await alice.getConversation(conversation.id)).last_event_seq;
    await waitUntil(() => session.positions()[conversation.id] === head, 'bob caught up');
    expect(session.state.threadReplies(conversation.id, root.message_id).map((m) => m.message_id)).toEqual([offline.message_id]);
    const heldRoot = session.state.messages(conversation.id).find((m) => m.message_id === root.message_id);
    expect(heldRoot?.thread).toMatchObject({ reply_count: 1, last_reply_id: offline.message_id });
    expect(session.state.threadRoot(conversation.id, root.message_id)?.thread?.reply_count).toBe(1);
  });
});
