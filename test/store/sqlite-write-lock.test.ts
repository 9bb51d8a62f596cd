/**
 * Sends on SQLite when another process holds the write lock (as another worker of the same
 * database does while it commits): the send waits for the lock and then succeeds; past
 * SQLITE_BUSY_TIMEOUT_MS it is refused with 503, and nothing of it is stored.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('SQLite sends while another process holds the write lock', () => {
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  async function serverWithLockHolder(busyTimeoutMs: number): Promise<{ server: TestServer; lock: Database.Database }> {
    const server = await startServer({ env: { SQLITE_BUSY_TIMEOUT_MS: String(busyTimeoutMs) } });
    cleanup.push(() => server.close());
    const lock = new Database(server.database.path!);
    cleanup.push(() => {
      if (lock.inTransaction) lock.exec('rollback');
      lock.close();
    });
    return { server, lock };
  }

  it('waits for the lock, then stores the message once the other writer commits', async () => {
    const { server, lock } = await serverWithLockHolder(10_000);
    const [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    const conversation = await createConversation(alice, [bob]);

    lock.exec('begin immediate');
    let settled = false;
    const sending = sendMessage(alice, conversation.id, 'sent while locked').finally(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(settled).toBe(false);

    lock.exec('commit');
    const message = await sending;
    expect(message.seq).toBe(1);
    const history = await bob.api.get(`/conversations/${conversation.id}/messages`);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['sent while locked']);
  });

  it('refuses with 503 once the busy timeout passes, stores nothing, and sends again after the lock is gone', async () => {
    const { server, lock } = await serverWithLockHolder(300);
    const [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    const conversation = await createConversation(alice, [bob]);

    lock.exec('begin immediate');
    const refused = await alice.api.post('/messages', { message_id: crypto.randomUUID(), conversation_id: conversation.id, content: 'too late' });
    lock.exec('commit');
    expectProblem(refused, 503, 'unavailable');

    const next = await sendMessage(alice, conversation.id, 'after the lock');
    expect(next.seq).toBe(1);
    const history = await bob.api.get(`/conversations/${conversation.id}/messages`);
    expect(history.body.messages.map((m: { content: string }) => m.content)).toEqual(['after the lock']);
  });
});
