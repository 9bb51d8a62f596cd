import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { CatchingUpClient } from '../helpers/catching-up-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TestSocket } from '../helpers/ws-client.js';

const ready = enabledDialects().includes('postgres') && process.env.PNEUMATIC_TEST_REDIS === 'up';
const describeIfServices = ready ? describe : describe.skip;
const REDIS = new URL(process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379');

async function until(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describeIfServices('three server processes sharing PostgreSQL and Redis', () => {
  let database: TestDatabase;
  let redisProxy: TcpProxy;
  let servers: ServerProcess[];
  let env: Record<string, string>;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    redisProxy = await startTcpProxy(REDIS.hostname, Number(REDIS.port || 6379));
    env = {
      DATABASE_URL: database.url,
      REDIS_URL: `redis://127.0.0.1:${redisProxy.port}`,
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      RATE_LIMITS: 'off',
    };
    servers = await Promise.all([0, 1, 2].map(() => spawnServer(env)));
  });

  afterAll(async () => {
    await Promise.all((servers ?? []).map((s) => s.stop('SIGKILL')));
    await redisProxy?.close();
    await database?.drop();
  });

  const api = (i: number, user: TestUser) => new Api(servers[i]!.url, user.token);
  const open = (i: number, user: TestUser) => TestSocket.open(servers[i]!.wsUrl, { token: user.token });

  it('delivers messages, typing, read receipts and member events between users on different processes', async () => {
    const alice = await registerUser(servers[0]!.url);
    const bob = await registerUser(servers[1]!.url);
    const carol = await registerUser(servers[2]!.url);
    const [aliceSocket, bobSocket, carolSocket] = await Promise.all([open(0, alice), open(1, bob), open(2, carol)]);

    const created = await api(0, alice).post('/conversations', { title: 'cross', member_ids: [bob.user.id] });
    const conversationId = created.body.id as string;
    await bobSocket.waitFor((f) => f.type === 'member.added' && f.conversation.id === conversationId);

    const sent = await api(2, bob).post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content: 'hi from process 2' });
    expect(sent.status).toBe(201);
    await aliceSocket.waitFor((f) => f.type === 'message' && f.message.message_id === sent.body.message_id);
    await bobSocket.waitFor((f) => f.type === 'message' && f.message.message_id === sent.body.message_id);

    bobSocket.send({ type: 'typing', conversation_id: conversationId });
    await aliceSocket.waitFor((f) => f.type === 'typing' && f.user_id === bob.user.id);

    expect((await api(0, alice).post(`/conversations/${conversationId}/read`, { seq: 1 })).status).toBe(204);
    await bobSocket.waitFor((f) => f.type === 'read' && f.user_id === alice.user.id && f.seq === 1);

    expect((await api(1, bob).post(`/conversations/${conversationId}/members`, { user_id: carol.user.id })).status).toBe(201);
    await carolSocket.waitFor((f) => f.type === 'member.added' && f.conversation.id === conversationId);
    await aliceSocket.waitFor((f) => f.type === 'member.added' && f.conversation.members.length === 3);

    expect((await api(2, carol).delete(`/conversations/${conversationId}/members/${carol.user.id}`)).status).toBe(204);
    await aliceSocket.waitFor((f) => f.type === 'member.removed' && f.user_id === carol.user.id);
    for (const socket of [aliceSocket, bobSocket, carolSocket]) socket.close();
  });

  it('stores and broadcasts an idempotent resend to another process once', async () => {
    const alice = await registerUser(servers[0]!.url);
    const bob = await registerUser(servers[0]!.url);
    const conversation = await createConversation(alice, [bob]);
    const sockets = await Promise.all([open(0, bob), open(1, bob), open(2, bob)]);
    const body = { message_id: randomUUID(), conversation_id: conversation.id, content: 'exactly once' };
    expect((await api(0, alice).post('/messages', body)).status).toBe(201);
    expect((await api(1, alice).post('/messages', body)).status).toBe(200);
    expect((await api(2, alice).post('/messages', body)).status).toBe(200);
    for (const socket of sockets) {
      await socket.waitFor((f) => f.type === 'message' && f.message.message_id === body.message_id);
      await socket.expectNone((f) => f.type === 'message' && f.message.message_id === body.message_id, 0);
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const socket of sockets) {
      expect(socket.frames.filter((f) => f.type === 'message' && f.message.message_id === body.message_id)).toHaveLength(1);
      socket.close();
    }
  });

  it('logging out on one process closes that token\'s sockets on every process with 4401', async () => {
    const alice = await registerUser(servers[0]!.url);
    const sockets = await Promise.all([open(0, alice), open(1, alice), open(2, alice)]);
    expect((await api(1, alice).delete('/sessions/current')).status).toBe(204);
    for (const socket of sockets) expect((await socket.waitForClose()).code).toBe(4401);
  });

  it('loses no acknowledged message when a process is killed with SIGKILL during a 2,000-message exchange', async () => {
    const members = await Promise.all(Array.from({ length: 4 }, () => registerUser(servers[0]!.url)));
    const conversation = await createConversation(members[0]!, members.slice(1));
    const live = () => servers.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    const clients = members.map((m) => new CatchingUpClient(live, m.token, [conversation.id]));
    await Promise.all(clients.map((c) => c.start()));

    const acked = new Set<string>();
    let next = 0;
    const total = 2000;
    const sender = async (member: TestUser) => {
      while (next < total) {
        const id = randomUUID();
        const content = `m${next++}`;
        // Retry with the same message_id on another process until acknowledged.
        for (let attempt = 0; ; attempt++) {
          const target = live()[attempt % live().length]!;
          try {
            const response = await new Api(target.url, member.token).post('/messages', { message_id: id, conversation_id: conversation.id, content });
            if (response.status === 201 || response.status === 200) {
              acked.add(id);
              break;
            }
          } catch {
            // connection refused or reset: the process is gone
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      }
    };
    const sending = Promise.all([...members, ...members].map(sender));
    await until(() => acked.size >= total / 2, 120_000, 'half the messages');
    const victim = servers[2]!;
    await victim.stop('SIGKILL');
    await sending;

    for (const client of clients) await client.catchUp(servers[0]!.url);
    for (const client of clients) {
      const missing = [...acked].filter((id) => !client.seen.has(id));
      expect(missing).toEqual([]);
      client.stop();
    }
    const history = await new Api(servers[0]!.url, members[0]!.token).get(`/conversations/${conversation.id}/messages?limit=1`);
    expect(history.body.messages[0].seq).toBe(acked.size);
    servers[2] = await spawnServer(env);
  }, 240_000);

  it('keeps every acknowledged message through a Redis restart, resumes fan-out, and has clients catch up', async () => {
    const alice = await registerUser(servers[0]!.url);
    const bob = await registerUser(servers[1]!.url);
    const conversation = await createConversation(alice, [bob]);
    const bobClient = new CatchingUpClient(() => [servers[1]!], bob.token, [conversation.id]);
    await bobClient.start();

    const acked: string[] = [];
    const send = async (content: string) => {
      const response = await api(0, alice).post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content });
      expect([200, 201]).toContain(response.status);
      acked.push(response.body.message_id);
    };
    for (let i = 0; i < 20; i++) await send(`before ${i}`);

    redisProxy.cut();
    await until(async () => (await fetch(`${servers[0]!.url}/readyz`)).status === 503, 10_000, '/readyz to report the bus down');
    for (let i = 0; i < 20; i++) await send(`during ${i}`);
    redisProxy.restore();
    await until(async () => (await fetch(`${servers[0]!.url}/readyz`)).status === 200, 15_000, '/readyz to recover');
    await until(async () => (await fetch(`${servers[1]!.url}/readyz`)).status === 200, 15_000, '/readyz to recover');

    // Fan-out is back: a fresh socket on another process gets a new message live.
    const bobSocket = await open(1, bob);
    await send('after');
    await bobSocket.waitFor((f) => f.type === 'message' && f.message.content === 'after', 10_000);
    bobSocket.close();

    await until(() => acked.every((id) => bobClient.seen.has(id)), 15_000, 'bob to have caught up');
    expect(bobClient.reconnects).toBeGreaterThan(0);
    bobClient.stop();
  });
});
