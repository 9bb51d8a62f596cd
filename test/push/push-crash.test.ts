/**
 * SIGKILL during a burst (docs/API.md, "Web Push", "Repeats"): 50 messages in 10 conversations
 * to a member whose browser is subscribed, the server killed with SIGKILL partway, restarted on
 * the same database, the unacknowledged sends sent again (same message_id). Afterwards no push
 * is lost: the newest message of every conversation was pushed, and within a conversation the
 * pushes went out in seq order (a message without a push of its own was folded into a later
 * one, as the queue promises). Nothing is duplicated: each message was pushed under one id at
 * most, and a push received twice (a repeat) carries an id already received before the kill,
 * a push that was in flight. The repeats are counted and printed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Api, createConversation, registerUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startPushService, type ReceivedPush } from '../helpers/push-service.js';
import { quiet, subscribeBrowser } from '../helpers/push-world.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';

const CONVERSATIONS = 10;
const PER_CONVERSATION = 5;
const KILL_AFTER_ACKS = 20;

for (const dialect of enabledDialects()) {
  describe(`push queue across a SIGKILL [${dialect}]`, () => {
    let database: TestDatabase;
    let server: ServerProcess | null = null;
    afterAll(async () => {
      await server?.stop('SIGKILL');
      await database?.drop();
    });

    it('loses no push and repeats only pushes in flight at the kill', { timeout: 120_000 }, async () => {
      database = await createTestDatabase(dialect);
      const service = await startPushService();
      service.latencyMs = 300;
      const env = { DATABASE_URL: database.url, RATE_LIMITS: 'off', PUSH_ALLOW_INSECURE_ENDPOINTS: 'on', PUSH_POLL_MS: '200', PUSH_TIMEOUT_MS: '1000' };
      server = await spawnServer(env);
      const alice = await registerUser(server.url, 'alice');
      const bob = await registerUser(server.url, 'bob');
      const bobs = await subscribeBrowser(bob, service);
      const conversations = [];
      for (let i = 0; i < CONVERSATIONS; i++) conversations.push((await createConversation(alice, [bob], `burst ${i}`)).id);
      const plan = conversations.map((conversationId) => Array.from({ length: PER_CONVERSATION }, (_, n) => ({ conversationId, messageId: randomUUID(), content: `#${n}` })));

      // The burst: one sender per conversation, in order; the kill lands when KILL_AFTER_ACKS are acknowledged.
      const acked = new Set<string>();
      let killedAt = 0;
      let killing = false;
      const kills: number[] = [];
      const api = new Api(server.url, alice.token);
      const killed = new Promise<void>((resolve) => {
        void Promise.all(
          plan.map(async (sends) => {
            for (const send of sends) {
              const response = await api.post('/messages', { message_id: send.messageId, conversation_id: send.conversationId, content: send.content }).catch(() => null);
              if (response?.status !== 201) return;
              acked.add(send.messageId);
              if (acked.size === KILL_AFTER_ACKS && !killing) {
                killing = true;
                // The kill's time is when the process is known dead: until then it may still send.
                void server!.stop('SIGKILL').then(() => {
                  killedAt = Date.now();
                  resolve();
                });
              }
            }
          }),
          // Once the kill is under way, it is what ends the burst.
        ).then(() => killing || resolve());
      });
      await killed;
      expect(killedAt).toBeGreaterThan(0);
      kills.push(killedAt);

      server = await spawnServer(env);
      let again = new Api(server.url, alice.token);
      for (const sends of plan) {
        for (const send of sends) {
          const response = await again.post('/messages', { message_id: send.messageId, conversation_id: send.conversationId, content: send.content });
          expect([200, 201]).toContain(response.status);
        }
      }
      // A second kill while the push of a conversation's newest message is in flight (received,
      // its answer held back by the service's latency): that push is repeated after the restart.
      const newestIds = new Set<string>();
      // Every conversation's newest message is sent again, so that some push of one is in flight at the kill.
      for (const conversationId of conversations) await again.post('/messages', { message_id: randomUUID(), conversation_id: conversationId, content: 'last' }).then((r) => newestIds.add(r.body.message_id as string));
      await service.waitFor(() => [...service.unanswered].some((p) => newestIds.has(p.payload.message_id)), 30_000, 'a push of a newest message in flight');
      await server.stop('SIGKILL');
      kills.push(Date.now());
      server = await spawnServer(env);
      again = new Api(server.url, alice.token);
      const newest = new Map<string, { message_id: string; seq: number }>();
      for (const conversationId of conversations) {
        const page = await again.get(`/conversations/${conversationId}/messages?limit=1`);
        newest.set(conversationId, page.body.messages[0]);
      }
      const pushedNewest = () => [...newest.values()].every((m) => service.deliveredTo(bobs.token).some((p) => p.payload.message_id === m.message_id));
      // Pushes in flight at the kill are claimed until their lease ends (2 × PUSH_TIMEOUT_MS + 5 s), then sent again.
      const leasesOver = kills.at(-1)! + 2 * 1000 + 5000 + 500;
      await service.waitFor(() => pushedNewest() && Date.now() > leasesOver, 60_000, 'the newest message of every conversation');
      await quiet(1_500);

      const pushes = service.deliveredTo(bobs.token);
      const byId = new Map<string, ReceivedPush[]>();
      for (const p of pushes) byId.set(p.payload.id, [...(byId.get(p.payload.id) ?? []), p]);
      const repeats = [...byId.entries()].filter(([, copies]) => copies.length > 1);
      console.log(
        `[${dialect}] ${acked.size} sends acknowledged before the first kill; ${pushes.length} pushes received, ${byId.size} distinct; ${repeats.length} repeated:`,
        repeats.map(([id, copies]) => `${id} (message ${copies[0]!.payload.message_id}, ${copies.length} copies, received ${copies.map((c) => c.at - kills.at(-1)!).join(', ')} ms after the last kill)`),
      );
      // A repeat is a push received before a kill (in flight then, its answer lost) and again after it.
      for (const [id, copies] of repeats) {
        expect(copies, `push ${id} received twice`).toHaveLength(2);
        expect(kills.some((k) => copies[0]!.at <= k && copies[1]!.at > k), `push ${id} repeated across a kill`).toBe(true);
      }
      // No message pushed under two ids (it would have been expanded twice).
      const idsPerMessage = new Map<string, Set<string>>();
      for (const p of pushes) idsPerMessage.set(p.payload.message_id, (idsPerMessage.get(p.payload.message_id) ?? new Set()).add(p.payload.id));
      expect([...idsPerMessage.values()].filter((ids) => ids.size > 1)).toEqual([]);
      // Per conversation, distinct pushes in seq order, ending with the newest message.
      for (const conversationId of conversations) {
        const seqs = [...byId.values()].map((copies) => copies[0]!).filter((p) => p.payload.conversation_id === conversationId).sort((a, b) => a.at - b.at).map((p) => p.payload.seq);
        expect(seqs, `pushes of conversation ${conversationId}`).toEqual([...seqs].sort((a, b) => a - b));
        expect(seqs.at(-1)).toBe(newest.get(conversationId)!.seq);
      }
      console.log(`[${dialect}] ${CONVERSATIONS * (PER_CONVERSATION + 1)} messages, ${idsPerMessage.size} pushed on their own, the rest folded into a later push of their conversation`);
      expect(service.problems).toEqual([]);
      await service.close();
    });
  });
}
