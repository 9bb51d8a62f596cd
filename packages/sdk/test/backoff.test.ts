import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/helpers/databases.js';
import { spawnServer, type ServerProcess } from '../../../test/helpers/server-process.js';
import type { SessionStateChange } from '../src/session/session-events.js';
import { registeredClient, waitUntil } from './helpers.js';

describe('reconnecting to a server that is down', () => {
  let database: TestDatabase;
  let processes: ServerProcess[] = [];
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await database?.drop();
  });

  it('retries with delays bounded by maxDelayMs, and goes live again once the server is back', async () => {
    database = await createTestDatabase('sqlite');
    const env = { DATABASE_URL: database.url, LOG_LEVEL: 'error' };
    const first = await spawnServer(env);
    processes.push(first);
    const client = await registeredClient(first.url, 'backoff');
    const session = await client.connect({ backoff: { initialDelayMs: 20, maxDelayMs: 200 } });
    const changes: Array<SessionStateChange & { at: number }> = [];
    session.on('state', (change) => changes.push({ ...change, at: Date.now() }));

    await first.stop('SIGKILL');
    await waitUntil(() => changes.filter((c) => c.state === 'reconnecting').length >= 12, '12 reconnect attempts', 15_000);
    const retries = changes.filter((c) => c.state === 'reconnecting');
    for (const retry of retries) expect(retry.delayMs).toBeLessThanOrEqual(200);
    expect(retries.map((r) => r.attempt)).toEqual(retries.map((_, i) => i + 1));
    // Consecutive attempts are never further apart than the cap plus the time a refused connect takes.
    const gaps = retries.slice(1).map((r, i) => r.at - retries[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(200 + 1000);

    const second = await spawnServer(env, { port: first.port });
    processes = [second];
    await waitUntil(() => session.connectionState === 'live', 'live again', 10_000);
    const conversation = await client.createConversation({ title: 'after', member_ids: [] });
    expect((await session.send(conversation.id, 'back')).seq).toBe(1);
    client.close();
    expect(session.connectionState).toBe('closed');
  }, 60_000);
});
