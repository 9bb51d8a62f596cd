/**
 * event_seq stays gapless and in commit order when 50 writers change one conversation at once,
 * with changes of every kind, on one process and on three processes sharing the database
 * through Redis (a single Redis, and a three-node Redis Cluster); and every connection receives
 * the events in event_seq order.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { startRedisCluster } from '../helpers/redis-cluster.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket, type Frame } from '../helpers/ws-client.js';

const redisUp = () => process.env.PNEUMATIC_TEST_REDIS === 'up';
const redisClusterUp = () => process.env.PNEUMATIC_TEST_REDIS_CLUSTER === 'up';

interface Cluster {
  urls: string[];
  wsUrls: string[];
  close(): Promise<void>;
}

async function oneProcess(dialect: Dialect): Promise<Cluster> {
  const server: TestServer = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
  return { urls: [server.url], wsUrls: [server.wsUrl], close: () => server.close() };
}

async function threeProcesses(dialect: Dialect, redis: 'single' | 'cluster'): Promise<Cluster> {
  const database: TestDatabase = await createTestDatabase(dialect);
  const redisCluster = redis === 'cluster' ? await startRedisCluster() : null;
  const where: Record<string, string> = redisCluster ? { REDIS_CLUSTER_NODES: redisCluster.seeds } : { REDIS_URL: 'redis://127.0.0.1:6379' };
  const env = { DATABASE_URL: database.url, ...where, REDIS_KEY_PREFIX: `test-${randomUUID()}:`, RATE_LIMITS: 'off' };
  // The first applies the migrations; the others then start on a ready database.
  const first = await spawnServer(env);
  const servers: ServerProcess[] = [first, ...(await Promise.all([spawnServer(env), spawnServer(env)]))];
  return {
    urls: servers.map((s) => s.url),
    wsUrls: servers.map((s) => s.wsUrl),
    close: async () => {
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      await database.drop();
      await redisCluster?.stop();
    },
  };
}

const setups = enabledDialects().flatMap((dialect) => [
  { name: `${dialect}, one process`, start: () => oneProcess(dialect), enabled: true },
  { name: `${dialect}, three processes and Redis`, start: () => threeProcesses(dialect, 'single'), enabled: redisUp() },
  { name: `${dialect}, three processes and a three-node Redis Cluster`, start: () => threeProcesses(dialect, 'cluster'), enabled: redisClusterUp() },
]);

for (const setup of setups) {
  (setup.enabled ? describe : describe.skip)(`50 concurrent writers to one conversation [${setup.name}]`, () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await setup.start();
    }, 120_000);
    afterAll(async () => {
      await cluster?.close();
    });

    const at = (i: number, user: TestUser) => new Api(cluster.urls[i % cluster.urls.length]!, user.token);

    it('assigns event_seq 1, 2, 3, … with no gap and no repeat, and each socket receives them in that order', async () => {
      const owner = await registerUser(cluster.urls[0]!, 'owner');
      const members = await Promise.all(Array.from({ length: 8 }, (_, i) => registerUser(cluster.urls[i % cluster.urls.length]!, 'member')));
      const joiners = await Promise.all(Array.from({ length: 6 }, (_, i) => registerUser(cluster.urls[i % cluster.urls.length]!, 'joiner')));
      const conversation = await createConversation(owner, members);
      const earlier = await Promise.all(members.map((m) => sendMessage(m, conversation.id, 'before')));
      const watchers = await Promise.all(
        [owner, members[0]!].flatMap((user) => cluster.wsUrls.map((url) => TestSocket.open(url, { token: user.token }))),
      );

      // 50 writers at once: sends, edits, deletes, additions, removals and renames.
      const writers: Array<() => Promise<number>> = [];
      for (let i = 0; i < 50; i++) {
        const member = members[i % members.length]!;
        const api = at(i, member);
        const editor = members[(i * 2) % members.length]!;
        switch (i % 6) {
          case 0:
          case 1:
            writers.push(async () => (await api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: `w${i}` })).status);
            break;
          case 2:
            writers.push(async () => (await at(i, editor).patch(`/messages/${earlier[(i * 2) % members.length]!.message_id}`, { content: `edit ${i}` })).status);
            break;
          case 3:
            writers.push(async () => (await at(i, owner).post(`/conversations/${conversation.id}/members`, { user_id: joiners[Math.floor(i / 6) % joiners.length]!.user.id })).status);
            break;
          case 4:
            writers.push(async () => (await at(i, owner).patch(`/conversations/${conversation.id}`, { title: `title ${i}` })).status);
            break;
          default:
            // Odd messages are deleted (some twice: a no-op), even ones edited: no edit meets a deleted message.
            writers.push(async () => (await at(i, owner).delete(`/messages/${earlier[(i % 4) * 2 + 1]!.message_id}`)).status);
        }
      }
      const statuses = await Promise.all(writers.map((write) => write()));
      for (const status of statuses) expect([200, 201, 204]).toContain(status);

      const log: Frame[] = [];
      for (let after = 0; ; ) {
        const page = (await at(0, owner).get(`/conversations/${conversation.id}/events?after=${after}&limit=500`)).body;
        log.push(...page.events);
        if (!page.has_more) break;
        after = page.events.at(-1).event_seq;
      }
      expect(log.map((e) => e.event_seq)).toEqual(Array.from({ length: log.length }, (_, i) => i + 1));
      const head = (await at(0, owner).get(`/conversations/${conversation.id}`)).body;
      expect(head.last_event_seq).toBe(log.length);
      // Every send and every new title is in the log once; messages keep a gapless seq too.
      const sends = Array.from({ length: 50 }, (_, i) => i % 6).filter((kind) => kind < 2).length;
      expect(log.filter((e) => e.type === 'message.created')).toHaveLength(members.length + sends);
      const seqs = log.filter((e) => e.type === 'message.created').map((e) => e.message.seq);
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      expect(log.filter((e) => e.type === 'conversation.updated')).toHaveLength(8);

      // Each socket: the frames of this conversation's events, strictly increasing, ending at the head.
      for (const socket of watchers) {
        await socket.waitFor((f) => f.conversation_id === conversation.id && f.event_seq === log.length, 20_000);
        const positions = socket.frames.filter((f) => f.conversation_id === conversation.id && typeof f.event_seq === 'number').map((f) => f.event_seq);
        for (let i = 1; i < positions.length; i++) expect(positions[i]).toBeGreaterThan(positions[i - 1]!);
        socket.close();
      }
    }, 120_000);

    it('creates 40 conversations at once among the same people without a deadlock, and each user_seq counts every one', async () => {
      // Regression: PostgreSQL answered 500 (deadlock detected, 40P01) when two creations bumped
      // the user_seq of overlapping members, each locking rows in its own plan's order.
      const people = await Promise.all(Array.from({ length: 6 }, (_, i) => registerUser(cluster.urls[i % cluster.urls.length]!, 'crowd')));
      const joinedBy = new Map(people.map((p) => [p.user.id, 0]));
      const creations = Array.from({ length: 40 }, (_, i) => {
        const owner = people[i % people.length]!;
        // Every other member, in an order that differs from one creation to the next.
        const others = people.filter((p) => p !== owner);
        const rotated = [...others.slice(i % others.length), ...others.slice(0, i % others.length)];
        const members = i % 2 === 0 ? rotated : rotated.reverse();
        for (const p of [owner, ...members]) joinedBy.set(p.user.id, joinedBy.get(p.user.id)! + 1);
        return () => at(i, owner).post('/conversations', { title: `crowd ${i}`, member_ids: members.map((m) => m.user.id) });
      });
      const responses = await Promise.all(creations.map((create) => create()));
      expect(responses.map((r) => r.status)).toEqual(responses.map(() => 201));
      for (const [i, person] of people.entries()) {
        const synced = (await at(i, person).post('/sync', { conversations: {} })).body;
        expect(synced.user_seq).toBe(joinedBy.get(person.user.id));
      }
    }, 120_000);
  });
}
