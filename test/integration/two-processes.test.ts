import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const describeIfPostgres = enabledDialects().includes('postgres') ? describe : describe.skip;

describeIfPostgres('two server processes on one PostgreSQL database', () => {
  let database: TestDatabase;
  let servers: ServerProcess[];

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    // Started together: both race to apply the migrations, which must run exactly once.
    servers = await Promise.all([0, 1].map(() => spawnServer({ DATABASE_URL: database.url, RATE_LIMITS: 'off', DB_POOL_MAX: '20' })));
  });

  afterAll(async () => {
    await Promise.all((servers ?? []).map((s) => s.stop()));
    await database?.drop();
  });

  const on = (server: ServerProcess, user: TestUser) => new Api(server.url, user.token);

  it('assigns every seq from 1 to N exactly once under 50 concurrent senders on each process', async () => {
    const [s0, s1] = servers as [ServerProcess, ServerProcess];
    const senders = await Promise.all(Array.from({ length: 10 }, () => registerUser(s0.url)));
    const conversation = await createConversation(senders[0]!, senders.slice(1));
    const sends = Array.from({ length: 100 }, (_, i) =>
      on(i % 2 === 0 ? s0 : s1, senders[i % senders.length]!).post('/messages', {
        message_id: randomUUID(),
        conversation_id: conversation.id,
        content: `message ${i}`,
      }),
    );
    const responses = await Promise.all(sends);
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    const seqs = responses.map((r) => r.body.seq as number).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const history = await on(s1, senders[0]!).get(`/conversations/${conversation.id}/messages?limit=200`);
    expect(history.body.messages.map((m: { seq: number }) => m.seq)).toEqual(seqs);
  });

  it('stores one row for concurrent identical sends through both processes, and everyone gets it', async () => {
    const [s0, s1] = servers as [ServerProcess, ServerProcess];
    const alice = await registerUser(s0.url);
    const conversation = await createConversation(alice, []);
    const body = { message_id: randomUUID(), conversation_id: conversation.id, content: 'once' };
    const responses = await Promise.all(Array.from({ length: 20 }, (_, i) => on(i % 2 ? s0 : s1, alice).post('/messages', body)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(19);
    expect(new Set(responses.map((r) => `${r.body.message_id}/${r.body.seq}`)).size).toBe(1);
    const conflicting = await on(s1, alice).post('/messages', { ...body, content: 'different' });
    expect(conflicting.status).toBe(409);
    const history = await on(s0, alice).get(`/conversations/${conversation.id}/messages`);
    expect(history.body.messages).toHaveLength(1);
  });

  it('never moves last_read_seq backwards under racing read receipts', async () => {
    const [s0, s1] = servers as [ServerProcess, ServerProcess];
    const alice = await registerUser(s0.url);
    const bob = await registerUser(s0.url);
    const conversation = await createConversation(alice, [bob]);
    for (let i = 0; i < 30; i++) {
      await on(s0, alice).post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: `m${i}` });
    }
    const reads = Array.from({ length: 30 }, (_, i) => on(i % 2 ? s0 : s1, bob).post(`/conversations/${conversation.id}/read`, { seq: i + 1 }));
    expect((await Promise.all(reads)).every((r) => r.status === 204)).toBe(true);
    const after = await on(s1, bob).get(`/conversations/${conversation.id}`);
    const member = after.body.members.find((m: { user_id: string }) => m.user_id === bob.user.id);
    expect(member.last_read_seq).toBe(30);
  });
});
