import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { SERVER_ENTRY, spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket } from '../helpers/ws-client.js';

const describeIfRedis = process.env.PNEUMATIC_TEST_REDIS === 'up' ? describe : describe.skip;

describeIfRedis('PNEUMATIC_WORKERS=2 on one SQLite file with Redis', () => {
  let database: TestDatabase;
  let server: ServerProcess;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    server = await spawnServer({
      DATABASE_URL: database.url,
      PNEUMATIC_WORKERS: '2',
      REDIS_URL: process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      RATE_LIMIT_MESSAGES_PER_MINUTE: '10000',
    });
  });

  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  it('keeps seq gapless under 60 concurrent sends spread over both workers, and delivers them all', async () => {
    const alice = await registerUser(server.url);
    const bob = await registerUser(server.url);
    const conversation = await createConversation(alice, [bob]);
    // Several sockets: the kernel spreads them over the workers.
    const sockets = await Promise.all(Array.from({ length: 4 }, () => TestSocket.open(server.wsUrl, { token: bob.token })));
    const api = new Api(server.url, alice.token);
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        // A fresh connection per request, so requests land on both workers.
        api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: `m${i}` }, { headers: { connection: 'close' } }),
      ),
    );
    expect(responses.map((r) => r.status).filter((s) => s !== 201)).toEqual([]);
    expect(responses.map((r) => r.body.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    for (const socket of sockets) {
      const frames = await socket.waitForCount((f) => f.type === 'message', 60);
      expect(frames.map((f) => f.message.seq)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
      socket.close();
    }
  });

  it('shares rate limits between the workers', async () => {
    const limited = await createTestDatabase('sqlite');
    const strict = await spawnServer({
      DATABASE_URL: limited.url,
      PNEUMATIC_WORKERS: '2',
      REDIS_URL: process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `test-${randomUUID()}:`,
      RATE_LIMIT_MESSAGES_PER_MINUTE: '10',
    });
    try {
      const alice = await registerUser(strict.url);
      const conversation = await createConversation(alice, []);
      const api = new Api(strict.url, alice.token);
      const statuses: number[] = [];
      for (let i = 0; i < 14; i++) {
        const response = await api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: 'x' }, { headers: { connection: 'close' } });
        statuses.push(response.status);
        if (response.status === 429) {
          expectProblem(response, 429, 'rate_limited');
          expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
        }
      }
      expect(statuses.filter((s) => s === 201)).toHaveLength(10);
      expect(statuses.slice(10)).toEqual([429, 429, 429, 429]);
    } finally {
      await strict.stop();
      await limited.drop();
    }
  }, 120_000);
});

describe('PNEUMATIC_WORKERS without Redis', () => {
  it('refuses to start and says REDIS_URL is required', async () => {
    const child = spawn(process.execPath, [...SERVER_ENTRY], {
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
      env: { ...process.env, PNEUMATIC_WORKERS: '2', REDIS_URL: '', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/PNEUMATIC_WORKERS.*REDIS_URL/);
  }, 60_000);
});
