/**
 * Two builds of Pneumatic side by side on one messaging workload, at fixed send rates, in
 * alternating steps (A B, B A, ...): the question "did this change make a send cheaper or
 * dearer?" answered on a machine that other work shares.
 *
 * The main benchmark's figure (the highest rate whose delivery p99 stays under 50 ms) turns on
 * stalls of a few tens of ms, which a busy or virtualized machine hands out at random. The
 * server's CPU time per acknowledged message, at a rate both builds sustain, hardly moves with
 * such stalls, and alternating steps spread whatever drifts over both sides alike.
 *
 *   node --conditions=source --import tsx bench/compare-builds.ts --a ../base --b . \
 *     [--workload direct-messages] [--rates 900,1800] [--rounds 6] [--step-ms 3000] [--full] [--nice -5]
 *     [--db sqlite|postgres|A,B] [--postgres-url URL] [--a-workers N] [--b-workers N] [--redis-url URL] [--unpinned]
 *     [--push A|B|A,B] [--webhooks A|B|A,B [--webhook-count 5]]
 *
 * --a-workers/--b-workers run that side as N processes (PNEUMATIC_WORKERS, with Redis); without
 * them a side is one process without Redis. `--a . --b . --b-workers 2` is the cost of going
 * from one process to two: CPU of the whole process tree (not Redis's) per message. Pinned to
 * one core, two processes take turns on it; `--unpinned` lets them run on both cores at once.
 *
 * --a/--b are checkouts with a built dist/ (`npm run build`). Both servers run at once (idle
 * while the other is measured), pinned to core 0 like the benchmark's, each with its own
 * load generator on core 1. BENCH_SERVER_NODE_ARGS applies to both (e.g. --cpu-prof). With
 * --db postgres each server gets a fresh database on the PostgreSQL of --postgres-url (--db
 * sqlite,postgres: A on SQLite, B on PostgreSQL, e.g. one build against itself), and when
 * that runs on this machine the CPU of its backends serving that database is reported too
 * ("database CPU ms/message": client backends only; autovacuum and the WAL writer and
 * checkpointer, shared, are not counted).
 *
 * --push A|B|A,B registers a Web Push subscription for every user of that side, on a loopback sink
 * that accepts every push (bench/lib/push-sink.ts): no socket reports a conversation visible, so
 * every message is pushed to each other member, and the side's CPU per message includes queueing,
 * encrypting and sending them (the build must have Web Push).
 *
 * --webhooks A|B|A,B gives every conversation of that side --webhook-count webhooks (5 by
 * default; message.created) to a loopback sink answering 204 at once (bench/lib/webhook-sink.ts).
 * Each step waits until the sink has its deliveries before reading the CPU, so the side's CPU per
 * message includes delivering them: `--a . --b . --webhooks B` is one build with and without.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GeneratorClient } from './lib/generator-client.js';
import { hasTaskset, threadCpuSeconds, treeCpuSeconds, treeSystemCpuSeconds } from './lib/processes.js';
import type { ConnectResult, SenderSpec, StepResult } from './lib/protocol.js';
import { createConversations, createUsers, seededRandom, shuffle } from './lib/setup.js';
import { PushSink } from './lib/push-sink.js';
import { subscribeConversations, WEBHOOK_SINK_ENV, WebhookSink } from './lib/webhook-sink.js';
import { createAgent, mapBounded } from './lib/http.js';
import { backendCpuSeconds, backendCpuUsed } from './lib/postgres-backends.js';
import { startTarget, type RunningTarget } from './lib/targets.js';
import { joinNegativeValues } from './lib/args.js';
import { directMessages, largeRoom, smallGroups, type Topology } from './workloads/topologies.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTENT_BYTES = 64;

const { values } = parseArgs({
  args: joinNegativeValues(process.argv.slice(2), ['--nice']),
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    workload: { type: 'string', default: 'direct-messages' },
    rates: { type: 'string', default: '900,1800' },
    rounds: { type: 'string', default: '6' },
    'step-ms': { type: 'string', default: '3000' },
    full: { type: 'boolean', default: false },
    nice: { type: 'string' },
    'a-workers': { type: 'string' },
    'b-workers': { type: 'string' },
    'redis-url': { type: 'string', default: 'redis://127.0.0.1:6379' },
    db: { type: 'string', default: 'sqlite' },
    'postgres-url': { type: 'string', default: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres' },
    unpinned: { type: 'boolean', default: false },
    push: { type: 'string', default: '' },
    webhooks: { type: 'string', default: '' },
    'webhook-count': { type: 'string', default: '5' },
    help: { type: 'boolean', default: false },
  },
});

const usage = 'usage: node --conditions=source --import tsx bench/compare-builds.ts --a DIR --b DIR [--workload small-groups|direct-messages|large-room] [--rates 900,1800] [--rounds 6] [--step-ms 3000] [--full] [--nice -5] [--db sqlite|postgres|A,B] [--postgres-url URL] [--a-workers N] [--b-workers N] [--redis-url URL] [--unpinned] [--push A|B|A,B] [--webhooks A|B|A,B [--webhook-count 5]]';
if (values.help || !values.a || !values.b) {
  console.log(usage);
  process.exit(values.help ? 0 : 2);
}
const topologies: Record<string, (quick: boolean) => Topology> = { 'small-groups': smallGroups, 'direct-messages': directMessages, 'large-room': largeRoom };
const makeTopology = topologies[values.workload];
const rates = values.rates.split(',').map(Number);
const rounds = Number(values.rounds);
const stepMs = Number(values['step-ms']);
const nice = values.nice === undefined ? null : Number(values.nice);
const workersOf = (raw: string | undefined): number | null => (raw === undefined ? null : Number(raw));
const workers = { A: workersOf(values['a-workers']), B: workersOf(values['b-workers']) };
if (Object.values(workers).some((w) => w !== null && !(Number.isInteger(w) && w >= 1 && w <= 16))) {
  console.error(usage);
  process.exit(2);
}
type Db = 'sqlite' | 'postgres';
const dbs = values.db.split(',') as Db[];
const dbOf = (name: 'A' | 'B'): Db => dbs[name === 'A' ? 0 : dbs.length - 1]!;
if (dbs.length > 2 || dbs.some((d) => d !== 'sqlite' && d !== 'postgres') || !makeTopology || rates.some((r) => !(r > 0)) || !(rounds >= 1) || !(stepMs >= 500) || (nice !== null && !Number.isInteger(nice))) {
  console.error(usage);
  process.exit(2);
}
const topology = makeTopology(!values.full);
const pushSides = new Set(values.push.split(',').filter(Boolean));
const webhookSides = new Set(values.webhooks.split(',').filter(Boolean));
const webhookCount = Number(values['webhook-count']);
if ([...pushSides, ...webhookSides].some((side) => side !== 'A' && side !== 'B') || !(Number.isInteger(webhookCount) && webhookCount >= 1 && webhookCount <= 100)) {
  console.error(usage);
  process.exit(2);
}
// --unpinned lets servers and generators float over every core: two worker processes can then
// run side by side, which one core shared by both cannot show.
const pinned = !values.unpinned && hasTaskset();

interface Side {
  name: 'A' | 'B';
  root: string;
  target: RunningTarget;
  generator: GeneratorClient;
  /** With --push for this side: the sink its pushes go to. */
  pushSink: PushSink | null;
  /** With --webhooks for this side: the sink its webhooks deliver to. */
  webhookSink: WebhookSink | null;
}

interface Sample {
  cpuMsPerMessage: number;
  /** PostgreSQL only: the server's backends' CPU per message; null when they are not visible here. */
  databaseCpuMsPerMessage: number | null;
  mainThreadCpuMsPerMessage: number;
  /** The part of cpuMsPerMessage spent in the kernel. */
  kernelCpuMsPerMessage: number;
  deliveryP99: number | null;
  complete: boolean;
}

/** Starts a server on `root`'s build and its generator (added to `sides` at once, so they are stopped on failure), then sets up the workload. */
async function prepare(sides: Side[], name: Side['name'], root: string): Promise<void> {
  if (!existsSync(resolve(root, 'dist/src/main.js'))) throw new Error(`${root} has no dist/src/main.js: run npm run build there`);
  const push = pushSides.has(name);
  const hooks = webhookSides.has(name);
  const env = { ...(push ? { PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' } : {}), ...(hooks ? WEBHOOK_SINK_ENV : {}) };
  const target = await startTarget('pneumatic', { root: ROOT, serverRoot: root, db: dbOf(name), postgresUrl: values['postgres-url'], workers: workers[name], redisUrl: values['redis-url'], core: pinned ? 0 : null, nice, env });
  const generator = GeneratorClient.start(pinned ? 1 : null, ROOT, nice);
  sides.push({ name, root, target, generator, pushSink: null, webhookSink: null });
  const users = await createUsers(target.baseUrl, topology.users, topology.name.slice(0, 2));
  if (push) {
    const sink = await PushSink.start(0);
    sides.at(-1)!.pushSink = sink;
    const agent = createAgent(16);
    const subscribed = await mapBounded(users, 16, (user) => sink.subscribe(agent, target.baseUrl, user.token));
    agent.destroy();
    if (subscribed.includes(false)) throw new Error(`${name}: the server refused push subscriptions (a build without Web Push?)`);
  }
  const conversations = await createConversations(target.baseUrl, users, topology.conversations);
  if (hooks) {
    const sink = (sides.at(-1)!.webhookSink = await WebhookSink.start());
    if (!(await subscribeConversations(sink, target.baseUrl, users, conversations, webhookCount))) throw new Error(`${name}: POST /webhooks answered 404 (a build without webhooks?)`);
  }
  const clients: { userId: string; token: string }[] = [];
  const clientsOfUser: number[][] = users.map(() => []);
  for (let device = 0; device < topology.connectionsPerUser; device++) {
    users.forEach((user, i) => {
      clientsOfUser[i]!.push(clients.length);
      clients.push({ userId: user.id, token: user.token });
    });
  }
  const connect = await generator.send<ConnectResult>({ cmd: 'connect', wsUrl: target.wsUrl, clients, localAddresses: ['127.0.0.1'], concurrency: 64, timeoutMs: 15_000 });
  if (connect.failed > 0) throw new Error(`${name}: ${connect.failed} sockets failed to open: ${connect.errors.join('; ')}`);
  const senders: SenderSpec[] = [];
  topology.conversations.forEach((plan, c) => {
    for (const member of plan.members) for (const client of clientsOfUser[member]!) senders.push({ client, conversationId: conversations[c]!.id });
  });
  await generator.send({ cmd: 'topology', conversations, senders: shuffle(senders, seededRandom(7)) });
}

async function step(side: Side, rate: number): Promise<Sample> {
  const { pid, databaseName } = side.target;
  const backendsBefore = await backendCpuSeconds(values['postgres-url'], databaseName);
  const cpuBefore = treeCpuSeconds(pid);
  const mainBefore = threadCpuSeconds(pid, pid);
  const kernelBefore = treeSystemCpuSeconds(pid);
  const pushedBefore = side.pushSink?.received ?? 0;
  const hookedBefore = side.webhookSink?.unique ?? 0;
  const r = await side.generator.send<StepResult>({ cmd: 'step', rate, durationMs: stepMs, drainMs: 1000, contentBytes: CONTENT_BYTES });
  // The step's pushes belong to the step: wait until the sink stops receiving them.
  await side.pushSink?.settled();
  const pushed = (side.pushSink?.received ?? 0) - pushedBefore;
  // So do its webhook deliveries: the CPU read below includes sending them.
  await side.webhookSink?.waitForUnique(hookedBefore + r.acked * webhookCount);
  const hooked = (side.webhookSink?.unique ?? 0) - hookedBefore;
  const acked = Math.max(1, r.acked);
  const databaseSeconds = backendCpuUsed(backendsBefore, await backendCpuSeconds(values['postgres-url'], databaseName));
  const sample = {
    cpuMsPerMessage: ((treeCpuSeconds(pid) - cpuBefore) * 1000) / acked,
    databaseCpuMsPerMessage: databaseSeconds === null ? null : (databaseSeconds * 1000) / acked,
    mainThreadCpuMsPerMessage: ((threadCpuSeconds(pid, pid) - mainBefore) * 1000) / acked,
    kernelCpuMsPerMessage: ((treeSystemCpuSeconds(pid) - kernelBefore) * 1000) / acked,
    deliveryP99: r.delivery.p99,
    complete: r.acked === r.sent && r.missingDeliveries === 0 && r.errors === 0 && r.aborted === null,
  };
  console.log(
    `${side.name} ${rate}/s: ${sample.cpuMsPerMessage.toFixed(3)} CPU ms/message (kernel ${sample.kernelCpuMsPerMessage.toFixed(3)}, main thread ${sample.mainThreadCpuMsPerMessage.toFixed(3)}` +
      `${sample.databaseCpuMsPerMessage === null ? '' : `; database ${sample.databaseCpuMsPerMessage.toFixed(3)}`}), ` +
      `acked ${r.acked}/${r.sent}, ${r.missingDeliveries} deliveries missing, delivery p99 ${r.delivery.p99} ms, generator ${Math.round(r.generatorCpu * 100)}%` +
      (side.pushSink ? `, ${pushed} pushes (${(pushed / acked).toFixed(2)} per message)` : '') +
      (side.webhookSink ? `, ${hooked} of ${r.acked * webhookCount} webhook deliveries` : ''),
  );
  return sample;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((p, q) => p - q);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const spread = (xs: number[], digits: number) => `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}`;

async function main(): Promise<void> {
  const described = (side: 'A' | 'B', root: string) => `${root} on ${dbOf(side)}${workers[side] === null ? '' : ` (${workers[side]} processes, Redis)`}`;
  console.log(`${topology.title}: A = ${described('A', values.a!)}, B = ${described('B', values.b!)}; rates ${rates.join(', ')}/s, ${rounds} rounds of ${stepMs} ms steps`);
  const sides: Side[] = [];
  try {
    await prepare(sides, 'A', resolve(values.a!));
    await prepare(sides, 'B', resolve(values.b!));
    const samples = new Map<string, Sample[]>();
    for (let round = 0; round < rounds; round++) {
      for (const rate of rates) {
        for (const side of round % 2 === 0 ? sides : [...sides].reverse()) {
          const key = `${side.name} ${rate}`;
          samples.set(key, [...(samples.get(key) ?? []), await step(side, rate)]);
        }
      }
    }
    console.log('\nmedian (min–max) over the steps where every message was acked and delivered:');
    for (const rate of rates) {
      for (const side of sides) {
        const all = samples.get(`${side.name} ${rate}`)!;
        const ok = all.filter((s) => s.complete);
        if (ok.length === 0) {
          console.log(`${side.name} ${rate}/s: no complete step of ${all.length}`);
          continue;
        }
        const cpu = ok.map((s) => s.cpuMsPerMessage);
        const main = ok.map((s) => s.mainThreadCpuMsPerMessage);
        const kernel = ok.map((s) => s.kernelCpuMsPerMessage);
        const p99 = ok.map((s) => s.deliveryP99 ?? Number.NaN);
        const database = ok.map((s) => s.databaseCpuMsPerMessage).filter((ms) => ms !== null);
        const withDatabase = ok.map((s) => s.cpuMsPerMessage + (s.databaseCpuMsPerMessage ?? 0));
        const databaseText =
          database.length === 0
            ? ''
            : `, database ${median(database).toFixed(3)} (${spread(database, 3)}), server + database ${median(withDatabase).toFixed(3)} (${spread(withDatabase, 3)})`;
        console.log(
          `${side.name} ${rate}/s: ${median(cpu).toFixed(3)} (${spread(cpu, 3)}) CPU ms/message, kernel ${median(kernel).toFixed(3)} (${spread(kernel, 3)}), main thread ${median(main).toFixed(3)} (${spread(main, 3)})${databaseText}, ` +
            `delivery p99 ${median(p99).toFixed(1)} (${spread(p99, 1)}) ms; ${ok.length} of ${all.length} steps complete, ${ok.filter((s) => (s.deliveryP99 ?? Infinity) < 50).length} under 50 ms`,
        );
      }
    }
  } finally {
    for (const side of sides) {
      await side.generator.send({ cmd: 'close' }).catch(() => undefined);
      await side.generator.stop();
      await side.target.stop();
      await side.pushSink?.close();
      await side.webhookSink?.close();
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
