/**
 * What presence costs (docs/architecture.md, "Presence"), measured on its own rather than as a
 * workload of `npm run bench`:
 *
 * 1. RSS per idle connection with presence on (this build's dist/) and off (the dist/ of a
 *    build without presence, `--off-root DIR`): N users, one v1 connection each, in
 *    conversations of 10, so each user's audience is looked up and their online frame fans out.
 * 2. Status-change fan-out in a room of 500: every member away, then active again, all at once,
 *    with PRESENCE_COALESCE_SECONDS=0 so nothing is held: status changes a second the server
 *    turns into frames, and frames a second delivered to the other 499 members.
 *
 *   node --conditions=source --import tsx bench/presence.ts [--quick] [--off-root DIR] [--connections N]
 *
 * Server and load generator share the machine: run it niced on a shared one, and read the
 * figures as the server's and this process's work together.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { freePort, spawnPinned, treeRss } from './lib/processes.js';
import { createConversations, createUsers, type BenchUser } from './lib/setup.js';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, 'off-root': { type: 'string' }, connections: { type: 'string' }, rounds: { type: 'string' }, only: { type: 'string' } },
});
const ROOT = new URL('..', import.meta.url).pathname;
const CONNECTIONS = Number(args.connections ?? (args.quick ? 1000 : 5000));
const ROUNDS = Number(args.rounds ?? (args.quick ? 2 : 5));
const ROOM = Number(process.env.PRESENCE_BENCH_ROOM ?? 500);
/** Long enough that a round's fan-out ends before its users fall away again. */
const AWAY_SECONDS = 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  url: string;
  wsUrl: string;
  pid: number;
  stop(): void;
}

async function startServer(root: string, env: Record<string, string>): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'presence-bench-'));
  const port = await freePort();
  const child = spawnPinned(['node', join(root, 'dist/src/main.js')], {
    core: null,
    cwd: root,
    stdio: 'inherit-stderr',
    env: { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: `sqlite:${join(dir, 'bench.db')}`, UPLOAD_DIR: join(dir, 'uploads'), RATE_LIMITS: 'off', PASSWORD_HASH_COST: 'test', LOG_LEVEL: 'warn', ...env },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (i > 300) throw new Error('server did not start');
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    await sleep(100);
  }
  return { url, wsUrl: `ws://127.0.0.1:${port}`, pid: child.pid!, stop: () => (child.kill('SIGKILL'), rmSync(dir, { recursive: true, force: true })) };
}

/** Opens one socket per user, 100 at a time; `onFrame` sees every frame's text. */
async function connectAll(wsUrl: string, users: BenchUser[], onFrame: (index: number, text: string) => void = () => {}): Promise<WebSocket[]> {
  const sockets: WebSocket[] = [];
  for (let i = 0; i < users.length; i += 100) {
    sockets.push(
      ...(await Promise.all(
        users.slice(i, i + 100).map(
          (user, j) =>
            new Promise<WebSocket>((resolve, reject) => {
              const socket = new WebSocket(`${wsUrl}/ws`, { headers: { authorization: `Bearer ${user.token}` } });
              socket.on('message', (data) => onFrame(i + j, data.toString()));
              socket.once('open', () => resolve(socket));
              socket.once('error', reject);
            }),
        ),
      )),
    );
  }
  return sockets;
}

async function settledRss(pid: number): Promise<number> {
  await sleep(1500);
  let lowest = Infinity;
  for (let i = 0; i < 3; i++) {
    lowest = Math.min(lowest, treeRss(pid));
    await sleep(200);
  }
  return lowest;
}

/**
 * Bytes of server RSS per idle connection: users in conversations of 10, one v1 socket each.
 * The slope between half the connections and all of them, so what every server holds anyway
 * (and the first connections' share of heap growth) cancels out.
 */
async function idleBytesPerConnection(root: string): Promise<number> {
  const server = await startServer(root, {});
  try {
    const users = await createUsers(server.url, CONNECTIONS, 'pr');
    const plans = Array.from({ length: Math.ceil(CONNECTIONS / 10) }, (_, c) => ({ members: Array.from({ length: 10 }, (_, m) => c * 10 + m).filter((i) => i < CONNECTIONS) }));
    await createConversations(server.url, users, plans);
    const half = Math.floor(CONNECTIONS / 2);
    const first = await connectAll(server.wsUrl, users.slice(0, half));
    const atHalf = await settledRss(server.pid);
    const second = await connectAll(server.wsUrl, users.slice(half));
    const atAll = await settledRss(server.pid);
    for (const socket of [...first, ...second]) socket.terminate();
    return (atAll - atHalf) / (CONNECTIONS - half);
  } finally {
    server.stop();
  }
}

interface FanOut {
  changes: number;
  frames: number;
  seconds: number;
}

/** Waits until `expected` frames of `status` arrived since the count was reset; returns the seconds since `since`. */
async function framesArrived(counts: Map<string, number>, status: string, expected: number, since: number): Promise<number> {
  let lastLog = since;
  while ((counts.get(status) ?? 0) < expected) {
    if (performance.now() - since > 120_000) throw new Error(`only ${counts.get(status)} of ${expected} ${status} frames arrived`);
    if (process.env.PRESENCE_BENCH_DEBUG && performance.now() - lastLog > 2000) {
      lastLog = performance.now();
      console.log(`  ${status}: ${counts.get(status)} of ${expected}`);
    }
    await sleep(5);
  }
  return (performance.now() - since) / 1000;
}

/**
 * The room's members report idle and fall away (AWAY_SECONDS later); then each round they all
 * report active at once (timed: 500 changes, each a frame to the 499 others) and fall away
 * again by themselves before the next round.
 */
async function statusFanOut(): Promise<FanOut[]> {
  // A generous send queue: the load generator shares the machine and may read late; a socket
  // closed as a slow consumer would lose its frames and fail the round.
  const server = await startServer(ROOT, { PRESENCE_AWAY_SECONDS: String(AWAY_SECONDS), PRESENCE_COALESCE_SECONDS: '0', WS_SEND_QUEUE_BYTES: String(256 * 1024 * 1024) });
  try {
    const users = await createUsers(server.url, ROOM, 'room');
    await createConversations(server.url, users, [{ members: users.map((_, i) => i) }]);
    const counts = new Map<string, number>();
    const sockets = await connectAll(server.wsUrl, users, (_i, text) => {
      const frame = JSON.parse(text) as { type: string; status?: string };
      if (frame.type === 'presence') counts.set(frame.status!, (counts.get(frame.status!) ?? 0) + 1);
    });
    for (const socket of sockets) socket.once('close', (code) => console.error(`a room socket closed with ${code}: the round cannot complete`));
    const expected = ROOM * (ROOM - 1);
    const sendAll = (state: string) => {
      for (const socket of sockets) socket.send(JSON.stringify({ type: 'activity', state, viewing: null }));
    };
    await sleep(2000);
    counts.set('away', 0);
    sendAll('idle');
    await framesArrived(counts, 'away', expected, performance.now());
    const rounds: FanOut[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      counts.set('online', 0);
      counts.set('away', 0);
      const started = performance.now();
      sendAll('active');
      rounds.push({ changes: ROOM, frames: expected, seconds: await framesArrived(counts, 'online', expected, started) });
      await framesArrived(counts, 'away', expected, started);
    }
    for (const socket of sockets) socket.terminate();
    return rounds;
  } finally {
    server.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  console.log(`presence bench: ${CONNECTIONS} idle connections, a room of ${ROOM}, ${ROUNDS} rounds`);
  if (args.only !== 'fanout') {
    // Alternated, on then off, ROUNDS times: a drift of the machine favours neither.
    const on: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      on.push(await idleBytesPerConnection(ROOT));
      if (args['off-root']) off.push(await idleBytesPerConnection(args['off-root']));
    }
    const shown = (list: number[]) => `${Math.round(median(list))} B (${list.map(Math.round).join(', ')})`;
    console.log(`RSS per idle connection: presence on ${shown(on)}${off.length === 0 ? '' : `, off ${shown(off)}; difference of medians ${Math.round(median(on) - median(off))} B`}`);
  }
  if (args.only === 'idle') return;
  const rounds = await statusFanOut();
  const changesPerSecond = rounds.map((r) => r.changes / r.seconds);
  const framesPerSecond = rounds.map((r) => r.frames / r.seconds);
  console.log(`status changes in a room of ${ROOM} (each to ${ROOM - 1} members): ${rounds.map((r) => r.seconds.toFixed(2)).join(', ')} s per ${ROOM} changes`);
  console.log(`median ${Math.round(median(changesPerSecond))} changes/s, ${Math.round(median(framesPerSecond))} frames/s delivered (range ${Math.round(Math.min(...framesPerSecond))}–${Math.round(Math.max(...framesPerSecond))})`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
