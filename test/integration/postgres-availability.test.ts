import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

const describeIfPostgres = enabledDialects().includes('postgres') ? describe : describe.skip;

describeIfPostgres('a PostgreSQL database that goes down and comes back', () => {
  let real: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    real = await createTestDatabase('postgres');
    const target = new URL(real.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(real.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    server = await startServer({
      database: { url: viaProxy.toString(), drop: async () => {} },
      env: { DB_CONNECT_TIMEOUT_MS: '1000', DB_STATEMENT_TIMEOUT_MS: '2000' },
    });
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await real?.drop();
  });

  it('answers 503 unavailable within a bounded time, never an ack, and recovers by itself', async () => {
    const alice = await registerUser(server.url);
    const conversation = await createConversation(alice, []);
    await sendMessage(alice, conversation.id, 'before the outage');

    proxy.cut();
    const started = Date.now();
    const during = await alice.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: 'during' });
    expect(Date.now() - started).toBeLessThan(5000);
    expectProblem(during, 503, 'unavailable');
    expect(during.headers.get('retry-after')).not.toBeNull();
    expect((await fetch(`${server.url}/readyz`)).status).toBe(503);

    proxy.restore();
    let ready = 0;
    for (let i = 0; i < 50 && ready !== 200; i++) {
      ready = (await fetch(`${server.url}/readyz`)).status;
      if (ready !== 200) await new Promise((r) => setTimeout(r, 100));
    }
    expect(ready).toBe(200);
    await sendMessage(alice, conversation.id, 'after the outage');
    const history = await alice.api.get(`/conversations/${conversation.id}/messages`);
    expect(history.body.messages.map((m: { content: string; seq: number }) => [m.seq, m.content])).toEqual([
      [1, 'before the outage'],
      [2, 'after the outage'],
    ]);
  });
});
