/**
 * Outgoing webhooks across a SIGKILL (docs/API.md, "Outgoing webhooks"; docs/architecture.md,
 * "Outgoing webhooks"): 200 messages in 5 conversations with a webhook each, the server killed
 * while deliveries are in flight, restarted on the same database. Afterwards every event was
 * delivered, in event_seq order per conversation, and a repeat (the same webhook-id accepted
 * twice) is only of a delivery accepted before the kill, one whose record the kill cut off. On
 * SQLite, on PostgreSQL, and on two processes sharing PostgreSQL through Redis, where the
 * survivor takes the dead process's lanes once their leases end and, while both run, no event
 * is delivered twice.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { until } from '../helpers/http-receiver.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { WebhookReceiver } from '../helpers/webhook-receiver.js';
import { createWebhook, sendMany, WEBHOOK_TEST_ENV } from '../helpers/webhook-world.js';

const CONVERSATIONS = 5;
const MESSAGES = 200;
const redisUp = () => process.env.PNEUMATIC_TEST_REDIS === 'up';

const setups: Array<{ name: string; dialect: Dialect; processes: 1 | 2 }> = [
  ...enabledDialects().map((dialect) => ({ name: dialect, dialect, processes: 1 as const })),
  ...(enabledDialects().includes('postgres') && redisUp() ? [{ name: 'two processes, postgres', dialect: 'postgres' as const, processes: 2 as const }] : []),
];

/** Every conversation's events arrived once each after dedupe, in order, `perConversation` of them. */
function expectComplete(receiver: WebhookReceiver, conversations: readonly string[], perConversation: number): void {
  for (const conversationId of conversations) {
    const seqs = receiver.ofConversation(conversationId).map((d) => d.body.data.event_seq);
    expect(seqs).toHaveLength(perConversation);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  }
}

for (const setup of setups) {
  describe(`webhook deliveries across a SIGKILL [${setup.name}]`, () => {
    let database: TestDatabase;
    const servers: ServerProcess[] = [];
    afterAll(async () => {
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      await database?.drop();
    });

    it('loses no event and repeats only deliveries cut off by the kill', { timeout: 180_000 }, async () => {
      database = await createTestDatabase(setup.dialect);
      const where: Record<string, string> = setup.processes === 2 ? { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test-${randomUUID()}:` } : {};
      // Leases end 2 × 1 s + 5 s after a claim: the survivor or the restarted process takes the lanes then.
      const env = { ...WEBHOOK_TEST_ENV, ...where, DATABASE_URL: database.url, WEBHOOK_TIMEOUT_MS: '1000' };
      const first = await spawnServer(env);
      servers.push(first);
      if (setup.processes === 2) servers.push(await spawnServer(env));
      const alice: TestUser = await registerUser(first.url, 'alice');
      const bob = await registerUser(first.url, 'bob');
      const receiver = new WebhookReceiver([]);
      await receiver.start();
      try {
        const conversations: string[] = [];
        const secrets: string[] = [];
        for (let i = 0; i < CONVERSATIONS; i++) {
          const conversation = await createConversation(alice, [bob], `hooked ${i}`);
          conversations.push(conversation.id);
          secrets.push((await createWebhook(alice, { url: receiver.url, event_types: ['message.created'], conversation_id: conversation.id })).secret);
        }
        receiver.useSecrets(secrets);

        if (setup.processes === 2) {
          // Both alive, each woken by its own sends: no event is delivered twice.
          const onSecond: TestUser = { ...alice, api: new Api(servers[1]!.url, alice.token) };
          await Promise.all([sendMany(alice, conversations, 50, 4), sendMany(onSecond, conversations, 50, 4)]);
          await until(() => receiver.unique.size === 100, 30_000, 'the first hundred');
          expect(receiver.accepted).toHaveLength(100);
        }
        const before = receiver.unique.size;

        // Slow enough that deliveries are in flight at the kill.
        receiver.delayMs = 10;
        await sendMany(alice, conversations, MESSAGES, 8);
        await until(() => receiver.unique.size >= before + 40, 30_000, 'deliveries under way');
        await first.stop('SIGKILL');
        const killedAt = Date.now();
        const acceptedBeforeKill = new Set(receiver.accepted.filter((d) => d.at <= killedAt).map((d) => d.id));
        expect(receiver.unique.size).toBeLessThan(before + MESSAGES);

        if (setup.processes === 1) servers[0] = await spawnServer(env);
        const total = before + MESSAGES;
        await until(() => receiver.unique.size === total, 60_000, `all ${total} deliveries`);
        expectComplete(receiver, conversations, total / CONVERSATIONS);
        const repeats = receiver.accepted.length - receiver.unique.size;
        const seen = new Set<string>();
        for (const delivery of receiver.accepted) {
          if (seen.has(delivery.id)) expect(acceptedBeforeKill.has(delivery.id)).toBe(true);
          seen.add(delivery.id);
        }
        console.log(`[webhook crash ${setup.name}] ${total} events delivered; ${repeats} repeats (same webhook-id) after the kill`);
        expect(receiver.requests.every((r) => r.verified)).toBe(true);
      } finally {
        await receiver.stop();
      }
    });
  });
}
