/**
 * The push queue (PushQueueRepository) against each implementation: Kysely on each enabled SQL
 * dialect, and SQLite's prepared statements (sqlite-push-queue.ts, the push thread's) on a
 * second connection to the same file, as the push thread has. The outbox is written by the
 * messages trigger, so every case sends through the store. Claims are leases; an expansion
 * writes only for the rows it removed; a newer message takes a pending delivery, an older one
 * does not; a sent delivery holds the next push of its conversation until the collapse window
 * ends; a claim respects each push service's capacity; outcomes match the lease they name.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeliveryOutcome, DueDelivery, OriginCapacity, PushQueueRepository, PushRecipient } from '../../src/domain/ports/push-repository.js';
import type { Store } from '../../src/domain/ports/repositories.js';
import { parseDatabaseUrl } from '../../src/store/database-url.js';
import { openStore } from '../../src/store/store.js';
import { openSqliteConnection } from '../../src/store/sqlite/sqlite-connection.js';
import { SqlitePushQueue } from '../../src/store/sqlite/sqlite-push-queue.js';
import { createTestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { at, storeFactories } from '../helpers/store-subjects.js';

interface Subject {
  name: string;
  open(): Promise<{ store: Store; queue: PushQueueRepository; close(): Promise<void> }>;
}

const options = { poolMax: 4, statementTimeoutMs: 10_000, connectTimeoutMs: 5_000, sqliteBusyTimeoutMs: 5_000, cacheInProcess: false };
const subjects: Subject[] = enabledDialects().flatMap((dialect): Subject[] => {
  const kysely: Subject = {
    name: `Kysely on ${dialect}`,
    async open() {
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url, options);
      return { store, queue: store.pushQueue, close: async () => (await store.close(), await database.drop()) };
    },
  };
  if (dialect !== 'sqlite') return [kysely];
  const statements: Subject = {
    name: 'SQLite prepared statements (the push thread)',
    async open() {
      const database = await createTestDatabase(dialect);
      const store = await openStore(database.url, options);
      const target = parseDatabaseUrl(database.url);
      const sqlite = openSqliteConnection(target.dialect === 'sqlite' ? target.path : '', { kind: 'handler', timeoutMs: 5_000 });
      return { store, queue: new SqlitePushQueue(sqlite), close: async () => (sqlite.close(), await store.close(), await database.drop()) };
    },
  };
  return [kysely, statements];
});

const T0 = Date.UTC(2026, 0, 1);
const LEASE = 10_000;
const unlimited: OriginCapacity = { full: [], of: () => 100 };
const recipient = (user_id: string, flags: Partial<PushRecipient> = {}): PushRecipient => ({ user_id, mention: false, urgent: false, preview: true, ...flags });

for (const subject of subjects) {
  describe(`push queue [${subject.name}]`, () => {
    let opened: Awaited<ReturnType<Subject['open']>>;
    beforeAll(async () => {
      opened = await subject.open();
    });
    afterAll(async () => opened?.close());
    const { user, conversation, send } = storeFactories(() => opened.store);
    const queue = () => opened.queue;

    async function subscribe(userId: string, origin = 'https://push.example') {
      const id = randomUUID();
      const endpoint = `${origin}/send/${id}`;
      await opened.store.pushSubscriptions.subscribe({ id, user_id: userId, endpoint, origin, p256dh: 'k', auth: 'a', created_at: at(0), expires_at: null }, 10);
      return id;
    }

    /** Claims everything queued and expands it to the given recipients of each message. */
    async function expandAll(now: number, recipientsOf: (senderId: string) => PushRecipient[]) {
      const claimed = await queue().claimOutbox(1000, now, now + LEASE);
      const written = await queue().expand(claimed.map((m) => ({ ...m, recipients: recipientsOf(m.sender_id) })), now);
      return { claimed, written };
    }

    const settle = (delivery: DueDelivery, outcome: DeliveryOutcome, now: number, nextPushAt = now) => queue().settle([{ delivery, outcome }], now, nextPushAt);

    /** Clears the queue of earlier cases: every test starts with nothing due. */
    async function drain(now: number) {
      await expandAll(now, () => []);
      for (const d of await queue().claimDue(1000, now, now + LEASE, unlimited)) await settle(d, { kind: 'delivered' }, now);
    }

    it('queues a message only when another member has a subscription, and leases what it hands out', async () => {
      await drain(T0);
      const [a, b] = [await user(), await user()];
      const c = await conversation(a, [b]);
      await send(c, a, 'nobody subscribed');
      expect(await queue().claimOutbox(10, T0, T0 + LEASE)).toEqual([]);
      await subscribe(a);
      await send(c, a, 'only the sender subscribed');
      expect(await queue().claimOutbox(10, T0, T0 + LEASE)).toEqual([]);
      await subscribe(b);
      const sent = (await send(c, a, 'hi @b')).message;
      expect(await queue().hasWork()).toBe(true);
      const claimed = await queue().claimOutbox(10, T0, T0 + LEASE);
      expect(claimed).toEqual([
        expect.objectContaining({ message_id: sent.message_id, conversation_id: c, sender_id: a, seq: sent.seq, mentions_all: false, member_count: 2, gone: false }),
      ]);
      expect([...claimed[0]!.subscribed_member_ids].sort()).toEqual([a, b].sort());
      // Leased: nobody else takes it until the lease ends, then it is handed out again.
      expect(await queue().claimOutbox(10, T0 + 1, T0 + LEASE)).toEqual([]);
      const again = await queue().claimOutbox(10, T0 + LEASE, T0 + 2 * LEASE);
      expect(again.map((m) => m.message_id)).toEqual([sent.message_id]);
      // Expanded under the first lease after the second was taken: still expanded once only.
      expect(await queue().expand([{ ...claimed[0]!, recipients: [recipient(b)] }], T0 + LEASE)).toBe(1);
      expect(await queue().expand([{ ...again[0]!, recipients: [recipient(b)] }], T0 + LEASE)).toBe(0);
      const due = await queue().claimDue(10, T0 + LEASE, T0 + 3 * LEASE, unlimited);
      expect(due).toEqual([expect.objectContaining({ conversation_id: c, message_id: sent.message_id, user_id: b, attempts: 1, preview: true })]);
      expect(due[0]!.message).toEqual(expect.objectContaining({ seq: sent.seq, content: 'hi @b', sender_id: a }));
      await settle(due[0]!, { kind: 'delivered' }, T0 + LEASE);
      expect(await queue().hasWork()).toBe(false);
    });

    it('folds messages into one pending delivery: the newest message, flags ORed; an older one changes nothing', async () => {
      await drain(T0);
      const [a, b] = [await user(), await user()];
      const c = await conversation(a, [b]);
      await subscribe(b);
      const first = (await send(c, a, 'one')).message;
      const second = (await send(c, a, 'two')).message;
      const claimed = await queue().claimOutbox(10, T0, T0 + LEASE);
      expect(claimed.map((m) => m.seq)).toEqual([first.seq, second.seq]);
      const [one, two] = claimed;
      // The newer one first, in its own round, then the older one with a mention.
      expect(await queue().expand([{ ...two!, recipients: [recipient(b)] }], T0)).toBe(1);
      await queue().expand([{ ...one!, recipients: [recipient(b, { mention: true })] }], T0);
      const [due] = await queue().claimDue(10, T0, T0 + LEASE, unlimited);
      expect(due).toEqual(expect.objectContaining({ message_id: second.message_id, mention: false }));
      await settle(due!, { kind: 'delivered' }, T0);
      const third = (await send(c, a, 'three')).message;
      const fourth = (await send(c, a, 'four')).message;
      await expandAll(T0 + 1, () => [recipient(b)]);
      const [next] = await queue().claimDue(10, T0 + 1, T0 + LEASE, unlimited);
      expect(next).toEqual(expect.objectContaining({ message_id: fourth.message_id }));
      expect(next!.id).not.toBe(due!.id);
      expect(third.seq).toBeLessThan(fourth.seq);
      await settle(next!, { kind: 'delivered' }, T0 + 1);
    });

    it('holds the next push of a conversation until the collapse window after the last one ends', async () => {
      await drain(T0);
      const [a, b] = [await user(), await user()];
      const c = await conversation(a, [b]);
      await subscribe(b);
      await send(c, a, 'first');
      await expandAll(T0, () => [recipient(b)]);
      const [due] = await queue().claimDue(10, T0, T0 + LEASE, unlimited);
      await settle(due!, { kind: 'delivered' }, T0, T0 + 5_000);
      const later = (await send(c, a, 'within the window')).message;
      await expandAll(T0 + 1_000, () => [recipient(b, { urgent: true })]);
      expect(await queue().claimDue(10, T0 + 4_999, T0 + LEASE, unlimited)).toEqual([]);
      const [next] = await queue().claimDue(10, T0 + 5_000, T0 + LEASE, unlimited);
      expect(next).toEqual(expect.objectContaining({ message_id: later.message_id, urgent: true, attempts: 1 }));
      await settle(next!, { kind: 'delivered' }, T0 + 5_000);
    });

    it('claims within each push service’s capacity; a retry falls due at its time; a gone subscription goes', async () => {
      await drain(T0);
      const a = await user();
      const members = [await user(), await user(), await user()];
      const c = await conversation(a, members);
      const busy = [await subscribe(members[0]!, 'https://busy.example'), await subscribe(members[1]!, 'https://busy.example')];
      const other = await subscribe(members[2]!, 'https://other.example');
      await send(c, a, 'to all');
      await expandAll(T0, () => members.map((m) => recipient(m)));
      const none = await queue().claimDue(10, T0, T0 + LEASE, { full: ['https://busy.example', 'https://other.example'], of: () => 0 });
      expect(none).toEqual([]);
      const one = await queue().claimDue(10, T0, T0 + LEASE, { full: [], of: (origin) => (origin === 'https://busy.example' ? 1 : 0) });
      expect(one.map((d) => d.origin)).toEqual(['https://busy.example']);
      const rest = await queue().claimDue(10, T0, T0 + LEASE, unlimited);
      expect(rest.map((d) => d.subscription_id).sort()).toEqual([...busy, other].filter((s) => s !== one[0]!.subscription_id).sort());
      // A stale claim (not the lease the row holds) changes nothing.
      await settle({ ...one[0]!, lease_until: 1 }, { kind: 'retry', at: T0, error: 'stale' }, T0);
      await settle(one[0]!, { kind: 'retry', at: T0 + 2_000, error: '500' }, T0);
      expect(await queue().claimDue(10, T0 + 1_999, T0 + 2 * LEASE, unlimited)).toEqual([]);
      const [retried] = await queue().claimDue(10, T0 + 2_000, T0 + 2 * LEASE, unlimited);
      expect(retried).toEqual(expect.objectContaining({ subscription_id: one[0]!.subscription_id, attempts: 2 }));
      await settle(retried!, { kind: 'gone' }, T0 + 2_000);
      expect(await opened.store.pushSubscriptions.listForUser(retried!.user_id)).toEqual([]);
      for (const d of rest) await settle(d, { kind: 'dropped', error: 'test' }, T0 + 2_000);
      expect(await queue().hasWork()).toBe(false);
    });
  });
}
