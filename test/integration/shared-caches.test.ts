/**
 * Several processes cache sessions and memberships too (src/store/cache/cache-link.ts): each
 * announces what it changed over the bus, in order with the deliveries of the change, so once a
 * process has handed on a change's frame it has forgotten its stale copy. Each case first warms
 * the other process's cache, so without the announcement it would answer from a stale entry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, loginAgain, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket } from '../helpers/ws-client.js';

const ready = enabledDialects().includes('postgres') && process.env.PNEUMATIC_TEST_REDIS === 'up';
const describeIfServices = ready ? describe : describe.skip;

describeIfServices('caches shared by two processes through the bus', () => {
  let database: TestDatabase;
  let servers: ServerProcess[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    const env = { DATABASE_URL: database.url, REDIS_URL: process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test-${randomUUID()}:`, RATE_LIMITS: 'off' };
    servers = await Promise.all([0, 1].map(() => spawnServer(env)));
  });

  afterAll(async () => {
    await Promise.all((servers ?? []).map((s) => s.stop('SIGKILL')));
    await database?.drop();
  });

  const api = (i: number, token: string) => new Api(servers[i]!.url, token);
  const send = (i: number, user: TestUser, conversationId: string, content: string) =>
    api(i, user.token).post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content });

  it('a member removed on one process can no longer send through the other, and one added there can at once', async () => {
    const [alice, bob, carol] = [await registerUser(servers[0]!.url, 'owner'), await registerUser(servers[0]!.url, 'leaver'), await registerUser(servers[0]!.url, 'joiner')];
    const conversation = await createConversation(alice, [bob]);
    const [bobSocket, carolSocket] = [await TestSocket.open(servers[1]!.wsUrl, { token: bob.token }), await TestSocket.open(servers[1]!.wsUrl, { token: carol.token })];
    // Process 1 now holds the conversation's members (bob may send; carol may not).
    expect((await send(1, bob, conversation.id, 'before')).status).toBe(201);
    expectProblem(await send(1, carol, conversation.id, 'not yet'), 403, 'not_member');

    expect((await api(0, alice.token).delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
    await bobSocket.waitFor((f) => f.type === 'member.removed' && f.user_id === bob.user.id);
    expectProblem(await send(1, bob, conversation.id, 'after removal'), 403, 'not_member');
    expectProblem(await api(1, bob.token).get(`/conversations/${conversation.id}/messages`), 403, 'not_member');

    expect((await api(0, alice.token).post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id })).status).toBe(201);
    await carolSocket.waitFor((f) => f.type === 'member.added' && f.user_id === carol.user.id);
    const sent = await send(1, carol, conversation.id, 'just joined');
    expect(sent.status).toBe(201);
    // The audience process 1 computes includes carol, and no longer bob.
    const fromAlice = await send(1, alice, conversation.id, 'welcome');
    await carolSocket.waitFor((f) => f.type === 'message' && f.message.message_id === fromAlice.body.message_id);
    expect(bobSocket.frames.some((f) => f.type === 'message' && f.message.message_id === fromAlice.body.message_id)).toBe(false);
    bobSocket.close();
    carolSocket.close();
  });

  it('a token logged out on one process stops working on the other at once', async () => {
    const dave = await registerUser(servers[0]!.url, 'logout');
    const second = await loginAgain(dave);
    // Process 1 now holds both sessions.
    expect((await api(1, dave.token).get('/users/me')).status).toBe(200);
    expect((await api(1, second).get('/users/me')).status).toBe(200);
    const socket = await TestSocket.open(servers[1]!.wsUrl, { token: dave.token });

    expect((await api(0, dave.token).delete('/sessions/current')).status).toBe(204);
    expect((await socket.waitForClose(10_000)).code).toBe(4401);
    expectProblem(await api(1, dave.token).get('/users/me'), 401, 'unauthorized');
    // The other session is untouched.
    expect((await api(1, second).get('/users/me')).status).toBe(200);

    const everywhere = await TestSocket.open(servers[1]!.wsUrl, { token: second });
    expect((await api(0, second).delete('/sessions?all=true')).status).toBe(204);
    expect((await everywhere.waitForClose(10_000)).code).toBe(4401);
    expectProblem(await api(1, second).get('/users/me'), 401, 'unauthorized');
  });
});
