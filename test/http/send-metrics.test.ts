/** Sends are timed once per send, over HTTP and over the socket alike (pneumatic_send_duration_seconds). */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

/** The _count sample of the send histogram for one transport. */
async function sendCount(url: string, transport: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`pneumatic_send_duration_seconds_count{transport="${transport}"}`));
  return line ? Number(line.split(/\s+/).pop()) : 0;
}

describe('send timing', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startServer();
    [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
  });
  afterAll(() => server.close());

  it('counts each accepted send once, by transport', async () => {
    const conversation = await createConversation(alice, [bob]);
    await sendMessage(alice, conversation.id, 'one');
    await sendMessage(alice, conversation.id, 'two');
    const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
    try {
      await socket.request({ type: 'message', message_id: randomUUID(), conversation_id: conversation.id, content: 'three' }, (f) => f.type === 'ack');
    } finally {
      socket.close();
    }
    expect(await sendCount(server.url, 'http')).toBe(2);
    expect(await sendCount(server.url, 'ws')).toBe(1);
  });
});
