/**
 * A session whose saved position predates what the server keeps (EVENT_RETENTION_DAYS) gets a
 * reset instead of a silent gap: `conversation.reset`, and a state equal to the server's.
 * The server here keeps events only until its next compaction, which runs every 100 ms.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../../test/helpers/server.js';
import { defaultWebSocketFactory } from '../src/session/websocket.js';
import { registeredClient, storedMessages, waitUntil } from './helpers.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ dialect: 'sqlite', env: { RATE_LIMITS: 'off', EVENT_RETENTION_DAYS: '0', EVENT_COMPACTION_INTERVAL_MS: '100' } });
});
afterAll(async () => {
  await server?.close();
});

it('resets a conversation whose saved position the server no longer keeps, and converges on its state', async () => {
  const alice = await registeredClient(server.url, 'alice');
  const bob = await registeredClient(server.url, 'bob');
  try {
    const conversation = await alice.createConversation({ title: 'before', member_ids: [bob.user!.id] });
    const kept = await alice.send(conversation.id, 'kept');
    const first = await bob.connect();
    await waitUntil(() => first.state.messages(conversation.id).length === 1, 'the first snapshot');
    const saved = first.positions();
    first.close();

    // While bob is away: an edit, a delete, new messages, a rename; then compaction removes the events.
    await alice.editMessage(kept.message_id, 'kept, edited');
    const doomed = await alice.send(conversation.id, 'doomed');
    await alice.deleteMessage(doomed.message_id);
    await alice.send(conversation.id, 'after');
    await alice.renameConversation(conversation.id, 'after the reset');
    const position = saved[conversation.id]!;
    for (let deadline = Date.now() + 10_000; ; ) {
      const answer = await fetch(`${server.url}/conversations/${conversation.id}/events?after=${position}`, { headers: { authorization: `Bearer ${bob.token}` } });
      if (answer.status === 410) break;
      if (Date.now() > deadline) throw new Error(`the events after ${position} were never compacted (status ${answer.status})`);
      await new Promise((r) => setTimeout(r, 50));
    }

    // connect() resolves once caught up: listen from the moment the socket is asked for.
    const resets: string[] = [];
    let listening = false;
    const real = await defaultWebSocketFactory();
    const second = await bob.connect({
      positions: saved,
      webSocket: (url, token) => {
        if (!listening) bob.activeSession?.on('conversation.reset', ({ conversation_id }) => resets.push(conversation_id));
        listening = true;
        return real(url, token);
      },
    });
    expect(resets).toEqual([conversation.id]);
    const current = await alice.getConversation(conversation.id);
    expect(second.state.conversation(conversation.id)?.title).toBe(current.title);
    expect(second.state.messages(conversation.id)).toEqual(await storedMessages(alice, conversation.id));
    expect(second.positions()[conversation.id]).toBe(current.last_event_seq);
    // Live events continue from the reset position.
    await alice.send(conversation.id, 'live after the reset');
    await waitUntil(() => second.state.messages(conversation.id).at(-1)?.content === 'live after the reset', 'the next live message');
    expect(second.positions()[conversation.id]).toBe(current.last_event_seq + 1);
  } finally {
    alice.close();
    bob.close();
  }
});
