/**
 * Issue #14's property: whatever other users change while a device is offline, while its socket
 * drops at random points, or while Redis loses publishes between processes, once the SDK has
 * reconnected its `session.state` equals what the server answers a fresh client, for every
 * conversation: the same conversations, titles, members and roles, read positions, and every
 * message with its current content, deletion and version.
 *
 * fast-check draws the changes (sends, edits, deletes, renames, members removed and added back,
 * the observed user removed and re-added, read receipts by others and by the observed user's
 * other device) and where the disruptions fall. The SDK talks to its server through a TCP proxy
 * the test cuts; the three-process setup's servers reach Redis through a proxy that drops a share
 * of pub/sub deliveries.
 */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PneumaticClient, type Session } from '@pneumatic/client';
import { Api, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase, type TestDatabase } from '../helpers/databases.js';
import { enabledDialects, type Dialect } from '../helpers/dialects.js';
import { startLossyRedisProxy, type LossyRedisProxy } from '../helpers/lossy-redis-proxy.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { startServer } from '../helpers/server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { REDIS_TEST_URL } from '../setup/global-setup.js';

const RUNS = Number(process.env.PNEUMATIC_PROPERTY_RUNS ?? 15);

type Disruption = 'offline' | 'socket drops' | 'lost publishes';

interface Setup {
  name: string;
  disruptions: Disruption[];
  enabled: () => boolean;
  start(): Promise<Cluster>;
}

interface Cluster {
  urls: string[];
  redis: LossyRedisProxy | null;
  close(): Promise<void>;
}

async function oneProcess(dialect: Dialect): Promise<Cluster> {
  const server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
  return { urls: [server.url], redis: null, close: () => server.close() };
}

async function threeProcessesLosingPublishes(dialect: Dialect): Promise<Cluster> {
  const database: TestDatabase = await createTestDatabase(dialect);
  const redisUrl = new URL(REDIS_TEST_URL);
  const redis = await startLossyRedisProxy(redisUrl.hostname, Number(redisUrl.port || 6379));
  const env = { DATABASE_URL: database.url, REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_KEY_PREFIX: `test-${randomUUID()}:`, RATE_LIMITS: 'off' };
  const first = await spawnServer(env);
  const servers: ServerProcess[] = [first, ...(await Promise.all([spawnServer(env), spawnServer(env)]))];
  return {
    urls: servers.map((s) => s.url),
    redis,
    close: async () => {
      await Promise.all(servers.map((s) => s.stop('SIGKILL')));
      await redis.close();
      await database.drop();
    },
  };
}

const setups: Setup[] = [
  ...enabledDialects().map((dialect) => ({
    name: `${dialect}, one process`,
    disruptions: ['offline', 'socket drops'] as Disruption[],
    enabled: () => true,
    start: () => oneProcess(dialect),
  })),
  {
    name: `${enabledDialects().at(-1)}, three processes and a Redis that loses publishes`,
    disruptions: ['offline', 'socket drops', 'lost publishes'],
    enabled: () => process.env.PNEUMATIC_TEST_REDIS === 'up',
    start: () => threeProcessesLosingPublishes(enabledDialects().at(-1)!),
  },
];

/** One change by someone other than the observed device, or a disruption of that device. */
type Step =
  | { kind: 'send'; conversation: number; by: 'owner' | 'other' }
  | { kind: 'edit' | 'delete'; conversation: number; pick: number }
  | { kind: 'rename'; conversation: number; title: string }
  | { kind: 'remove observed' | 'add observed' | 'remove other' | 'add other'; conversation: number }
  | { kind: 'read'; conversation: number; by: 'other' | 'observed elsewhere' }
  | { kind: 'cut' }
  | { kind: 'restore' };

const conversationIndex = fc.integer({ min: 0, max: 1 });
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('send' as const), conversation: conversationIndex, by: fc.constantFrom('owner' as const, 'other' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constantFrom('edit' as const, 'delete' as const), conversation: conversationIndex, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rename' as const), conversation: conversationIndex, title: fc.string({ minLength: 1, maxLength: 20 }).filter((t) => t.trim().length > 0) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom('remove observed' as const, 'add observed' as const, 'remove other' as const, 'add other' as const),
      conversation: conversationIndex,
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('read' as const), conversation: conversationIndex, by: fc.constantFrom('other' as const, 'observed elsewhere' as const) }) },
  { weight: 1, arbitrary: fc.constantFrom<Step>({ kind: 'cut' }, { kind: 'restore' }) },
);

/** What the observed device should show, compared field by field. */
interface View {
  conversations: Record<string, { title: string; members: string[]; reads: Record<string, number>; messages: string[] }>;
}

/** The view with conversations and read positions in id order, so equal views print equal. */
function canonical(view: View): string {
  const ids = Object.keys(view.conversations).sort();
  return JSON.stringify(
    ids.map((id) => {
      const c = view.conversations[id]!;
      return [id, c.title, c.members, Object.entries(c.reads).sort(([a], [b]) => a.localeCompare(b)), c.messages];
    }),
  );
}

const describeMessage = (m: { seq: number; message_id: string; content: string; deleted: boolean; version: number; edited_at: string | null }) =>
  `${m.seq} ${m.message_id} v${m.version} ${m.deleted ? 'deleted' : JSON.stringify(m.content)} ${m.edited_at ? 'edited' : ''}`;

/** What the server answers a fresh client of the observed user. */
async function serverView(api: Api): Promise<View> {
  const view: View = { conversations: {} };
  let before: string | null = null;
  do {
    const page: { body: { conversations: { id: string }[]; next_cursor: string | null } } = await api.get(`/conversations?limit=200${before ? `&before=${before}` : ''}`);
    for (const { id } of page.body.conversations) {
      const conversation = (await api.get(`/conversations/${id}`)).body;
      const messages = (await api.get(`/conversations/${id}/messages?limit=200`)).body.messages;
      view.conversations[id] = {
        title: conversation.title,
        members: conversation.members.map((m: { user_id: string; role: string }) => `${m.user_id} ${m.role}`).sort(),
        reads: Object.fromEntries(conversation.members.map((m: { user_id: string; last_read_seq: number }) => [m.user_id, m.last_read_seq])),
        messages: messages.map(describeMessage),
      };
    }
    before = page.body.next_cursor;
  } while (before);
  return view;
}

/** What the observed device's session state shows. */
function clientView(session: Session): View {
  const view: View = { conversations: {} };
  for (const conversation of session.state.conversations()) {
    const reads = Object.fromEntries(session.state.readPositions(conversation.id));
    reads[session.userId] = session.state.lastReadSeq(conversation.id);
    view.conversations[conversation.id] = {
      title: conversation.title,
      members: conversation.members.map((m) => `${m.user_id} ${m.role}`).sort(),
      reads: Object.fromEntries(conversation.members.map((m) => [m.user_id, reads[m.user_id] ?? 0])),
      messages: session.state.messages(conversation.id).map(describeMessage),
    };
  }
  return view;
}

async function until(check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

for (const setup of setups) {
  describe.runIf(setup.enabled())(`the SDK converges on the server's state [${setup.name}]`, () => {
    let cluster: Cluster;
    beforeAll(async () => {
      cluster = await setup.start();
    }, 120_000);
    afterAll(async () => {
      await cluster?.close();
    });

    for (const disruption of setup.disruptions) {
      it(`after changes made ${disruption === 'offline' ? 'while it is offline' : disruption === 'socket drops' ? 'while its socket drops at random points' : 'while Redis loses publishes'}`, async () => {
        let runs = 0;
        const droppedBefore = cluster.redis?.dropped() ?? 0;
        await fc.assert(
          fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 24 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), async (steps, seed) => {
            runs++;
            await convergesAfter(cluster, disruption, steps, seed);
          }),
          { numRuns: RUNS, endOnFailure: true },
        );
        expect(runs).toBeGreaterThanOrEqual(RUNS);
        // The disruption really happened: Redis lost deliveries between the processes.
        if (disruption === 'lost publishes') expect(cluster.redis!.dropped()).toBeGreaterThan(droppedBefore);
      }, 300_000);
    }
  });
}

async function convergesAfter(cluster: Cluster, disruption: Disruption, steps: Step[], seed: number): Promise<void> {
  const at = (i: number) => cluster.urls[i % cluster.urls.length]!;
  const observedServer = new URL(at(seed));
  const proxy: TcpProxy = await startTcpProxy(observedServer.hostname, Number(observedServer.port));
  const [owner, other] = [await registerUser(at(seed + 1), 'owner'), await registerUser(at(seed + 2), 'other')];
  const client = new PneumaticClient({ baseUrl: `http://127.0.0.1:${proxy.port}`, requestTimeoutMs: 3000 });
  await client.register(`observed_${randomUUID().slice(0, 8)}`, 'correct horse battery');
  const observedElsewhere = new Api(at(seed + 3), client.token);
  const session = await client.connect({ backoff: { initialDelayMs: 20, maxDelayMs: 200 }, heartbeatIntervalMs: 1000, heartbeatTimeoutMs: 1000 });
  try {
    await until(() => session.connectionState === 'live', 10_000);
    const actor = (user: TestUser, i: number) => new Api(at(seed + i), user.token);
    const conversations: string[] = [];
    for (let i = 0; i < 2; i++) {
      const created = await actor(owner, i).post('/conversations', { title: `c${i}`, member_ids: [other.user.id, client.user!.id] });
      expect(created.status).toBe(201);
      conversations.push(created.body.id);
    }
    // The device sees both conversations before anything is disrupted.
    await until(() => conversations.every((id) => session.state.conversation(id) !== undefined), 10_000);

    if (disruption === 'offline') proxy.cut();
    if (disruption === 'lost publishes') cluster.redis?.setLoss(0.5);
    const sent: Array<Array<{ id: string; by: TestUser }>> = [[], []];
    for (const [i, change] of steps.entries()) {
      const statusOf = await apply(change, i);
      expect(statusOf, `${change.kind} answered ${statusOf}`).toBeLessThan(500);
    }

    async function apply(change: Step, i: number): Promise<number> {
      if (change.kind === 'cut' || change.kind === 'restore') {
        if (disruption === 'socket drops') {
          if (change.kind === 'cut') proxy.cut();
          else proxy.restore();
        }
        return 0;
      }
      const c = conversations[change.conversation]!;
      switch (change.kind) {
        case 'send': {
          const by = change.by === 'owner' ? owner : other;
          const response = await actor(by, i).post('/messages', { message_id: randomUUID(), conversation_id: c, content: `m${i}` });
          if (response.status === 201) sent[change.conversation]!.push({ id: response.body.message_id, by });
          return response.status;
        }
        case 'edit':
        case 'delete': {
          const list = sent[change.conversation]!;
          if (list.length === 0) return 0;
          const target = list[change.pick % list.length]!;
          return change.kind === 'edit'
            ? (await actor(target.by, i).patch(`/messages/${target.id}`, { content: `edit ${i}` })).status
            : (await actor(owner, i).delete(`/messages/${target.id}`)).status;
        }
        case 'rename':
          return (await actor(owner, i).patch(`/conversations/${c}`, { title: change.title })).status;
        case 'remove observed':
          return (await actor(owner, i).delete(`/conversations/${c}/members/${client.user!.id}`)).status;
        case 'add observed':
          return (await actor(owner, i).post(`/conversations/${c}/members`, { user_id: client.user!.id })).status;
        case 'remove other':
          return (await actor(owner, i).delete(`/conversations/${c}/members/${other.user.id}`)).status;
        case 'add other':
          return (await actor(owner, i).post(`/conversations/${c}/members`, { user_id: other.user.id })).status;
        case 'read': {
          const head = (await actor(owner, i).get(`/conversations/${c}`)).body;
          const api = change.by === 'other' ? actor(other, i) : observedElsewhere;
          return (await api.post(`/conversations/${c}/read`, { seq: head.last_seq })).status;
        }
      }
    }

    // Back online, through a fresh connection, with Redis whole again.
    cluster.redis?.setLoss(0);
    proxy.cut();
    proxy.restore();
    const expected = await serverView(new Api(at(seed), client.token));
    await until(() => session.connectionState === 'live' && canonical(clientView(session)) === canonical(expected), 20_000);
    expect(clientView(session)).toEqual(expected);
  } finally {
    cluster.redis?.setLoss(0);
    await session.close();
    await proxy.close();
  }
}
