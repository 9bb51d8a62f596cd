/**
 * Soak: runs a mixed load (WebSocket sends, history reads, typing, reconnects) against a real
 * server process for a set time and reports heap, RSS, open file descriptors and event-loop delay
 * (from /metrics and /proc/PID/fd) at the start and the end.
 *
 *   node --conditions=source --import tsx test/soak/soak.ts --minutes 2   (or: npm run soak -- --minutes 2)
 *
 * Exits 1 when a figure grew beyond noise. test/soak/soak.test.ts runs it under vitest.
 */
import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createConversation, registerUser, type TestUser } from '../helpers/api-client.js';
import { createTestDatabase } from '../helpers/databases.js';
import { describeFigures, mib, processFigures, type ProcessFigures } from '../helpers/prometheus.js';
import { collectGarbage, INSPECT_ARG } from '../helpers/inspector.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { TestSocket } from '../helpers/ws-client.js';

export interface SoakOptions {
  minutes: number;
  clients?: number;
  log?: (line: string) => void;
}

export interface SoakFigures extends ProcessFigures {
  /** Counted from /proc/PID/fd, which /metrics also reads on Linux. */
  procFds: number;
}

export interface SoakReport {
  seconds: number;
  operations: { sends: number; historyReads: number; typing: number; reconnects: number; errors: number };
  start: SoakFigures;
  end: SoakFigures;
  growth: { heapUsedBytes: number; rssBytes: number; fds: number; eventLoopP99Seconds: number };
  /** Figures that grew beyond noise; empty when the run is clean. */
  problems: string[];
}

/**
 * Beyond these, growth over the run is not noise. Heap used is measured after full collections
 * (0.8 MiB of growth in a clean two-minute run of 42,000 sends), so 12 MiB is a leak of about
 * 300 bytes a send; RSS keeps whatever pages the allocator held on to, so its bound is looser.
 */
export const LIMITS = { heapUsedBytes: 12 * 1024 * 1024, rssBytes: 64 * 1024 * 1024, fds: 8, eventLoopP99Seconds: 0.25 };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function figures(server: ServerProcess): Promise<SoakFigures> {
  let procFds = Number.NaN;
  try {
    procFds = readdirSync(`/proc/${server.child.pid}/fd`).length;
  } catch {
    // not Linux
  }
  return { ...(await processFigures(server.url)), procFds };
}

/**
 * Quiet figures: load paused until requests in flight are done, then a full garbage collection
 * through the server's inspector, so heap used is what the server retains. (Waiting for V8's
 * memory reducer instead left anything from 38 to 105 MiB of heap used at the same load, and
 * a run that began near the low end and ended near the high one "grew" 60 MiB.)
 */
async function quietFigures(server: ServerProcess): Promise<SoakFigures> {
  await sleep(3000);
  await collectGarbage(server);
  await collectGarbage(server);
  return figures(server);
}

class SoakClient {
  private socket: TestSocket | null = null;
  private stopped = false;
  constructor(
    private readonly server: ServerProcess,
    private readonly user: TestUser,
    private readonly conversationId: string,
    private readonly counts: SoakReport['operations'],
  ) {}

  async run(isPaused: () => boolean): Promise<void> {
    let i = 0;
    while (!this.stopped) {
      if (isPaused()) {
        await sleep(100);
        continue;
      }
      i++;
      try {
        if (!this.socket || this.socket.closed) this.socket = await TestSocket.open(this.server.wsUrl, { token: this.user.token });
        const id = randomUUID();
        await this.socket.request({ type: 'message', message_id: id, conversation_id: this.conversationId, content: `soak ${i}` }, (f) => f.type === 'ack' && f.message_id === id, 10_000);
        this.counts.sends++;
        if (i % 3 === 0) {
          this.socket.send({ type: 'typing', conversation_id: this.conversationId });
          this.counts.typing++;
        }
        if (i % 5 === 0) {
          const page = await this.user.api.get(`/conversations/${this.conversationId}/messages?limit=50`);
          if (page.status !== 200) throw new Error(`history ${page.status}`);
          this.counts.historyReads++;
        }
        if (i % 40 === 0) {
          this.socket.close();
          await this.socket.waitForClose();
          this.socket = null;
          this.counts.reconnects++;
        }
        // The frame list would grow with every event: a long-running client keeps only the recent ones.
        if (this.socket && this.socket.frames.length > 200) this.socket.frames.splice(0, this.socket.frames.length - 20);
      } catch {
        this.counts.errors++;
        this.socket?.ws.terminate();
        this.socket = null;
        await sleep(200);
      }
      await sleep(25);
    }
    this.socket?.close();
  }

  stop(): void {
    this.stopped = true;
  }
}

export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const clients = options.clients ?? 10;
  const database = await createTestDatabase('sqlite');
  const server = await spawnServer({ DATABASE_URL: database.url, RATE_LIMITS: 'off', LOG_LEVEL: 'warn' }, { nodeArgs: [INSPECT_ARG] });
  try {
    const users: TestUser[] = [];
    for (let i = 0; i < clients; i++) users.push(await registerUser(server.url, 'soak'));
    const conversations: string[] = [];
    for (let c = 0; c < Math.ceil(clients / 3); c++) {
      const group = users.filter((_, i) => i % Math.ceil(clients / 3) === c);
      conversations.push((await createConversation(group[0]!, group.slice(1), `soak ${c}`)).id);
    }
    const counts = { sends: 0, historyReads: 0, typing: 0, reconnects: 0, errors: 0 };
    let paused = false;
    const workers = users.map((user, i) => new SoakClient(server, user, conversations[i % conversations.length]!, counts));
    const running = workers.map((w) => w.run(() => paused));
    const totalMs = options.minutes * 60_000;
    // Warm up (JIT, caches, pools) before the baseline, so they do not count as growth.
    const warmupMs = Math.min(30_000, Math.max(10_000, totalMs * 0.15));
    const started = Date.now();
    log(`[soak] ${clients} clients, ${conversations.length} conversations, ${options.minutes} min (warm-up ${warmupMs / 1000} s)`);
    await sleep(warmupMs);
    paused = true;
    const start = await quietFigures(server);
    paused = false;
    log(`[soak] start: ${describeFigures(start)}, /proc fds ${start.procFds}`);
    while (Date.now() - started < totalMs) {
      await sleep(Math.min(15_000, totalMs - (Date.now() - started)));
      const now = await figures(server);
      log(`[soak] ${Math.round((Date.now() - started) / 1000)} s: ${counts.sends} sends, ${counts.historyReads} reads, ${counts.typing} typing, ${counts.reconnects} reconnects, ${counts.errors} errors; ${describeFigures(now)}`);
    }
    paused = true;
    const end = await quietFigures(server);
    for (const w of workers) w.stop();
    await Promise.all(running);
    const growth = {
      heapUsedBytes: end.heapUsedBytes - start.heapUsedBytes,
      rssBytes: end.rssBytes - start.rssBytes,
      fds: (Number.isNaN(end.procFds) ? end.openFds : end.procFds) - (Number.isNaN(start.procFds) ? start.openFds : start.procFds),
      eventLoopP99Seconds: end.eventLoopP99Seconds - start.eventLoopP99Seconds,
    };
    const problems: string[] = [];
    if (growth.heapUsedBytes > LIMITS.heapUsedBytes) problems.push(`heap used grew ${mib(growth.heapUsedBytes)}`);
    if (growth.rssBytes > LIMITS.rssBytes) problems.push(`RSS grew ${mib(growth.rssBytes)}`);
    if (growth.fds > LIMITS.fds) problems.push(`open file descriptors grew by ${growth.fds}`);
    if (growth.eventLoopP99Seconds > LIMITS.eventLoopP99Seconds) problems.push(`event-loop p99 grew ${(growth.eventLoopP99Seconds * 1000).toFixed(0)} ms`);
    if (counts.errors > counts.sends / 100) problems.push(`${counts.errors} errors in ${counts.sends} sends`);
    const report: SoakReport = { seconds: Math.round((Date.now() - started) / 1000), operations: counts, start, end, growth, problems };
    log(`[soak] end:   ${describeFigures(end)}, /proc fds ${end.procFds}`);
    log(
      `[soak] growth: heap used ${mib(growth.heapUsedBytes)}, RSS ${mib(growth.rssBytes)}, fds ${growth.fds}, event-loop p99 ${(growth.eventLoopP99Seconds * 1000).toFixed(1)} ms; ` +
        `${counts.sends} sends, ${counts.historyReads} history reads, ${counts.typing} typing, ${counts.reconnects} reconnects, ${counts.errors} errors; ${problems.length ? `PROBLEMS: ${problems.join('; ')}` : 'no growth beyond noise'}`,
    );
    return report;
  } finally {
    await server.stop('SIGTERM');
    await database.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--minutes');
  const minutes = at >= 0 ? Number(process.argv[at + 1]) : 2;
  if (!(minutes > 0)) {
    console.error('usage: node --conditions=source --import tsx test/soak/soak.ts --minutes N');
    process.exit(2);
  }
  const report = await runSoak({ minutes });
  process.exit(report.problems.length > 0 ? 1 : 0);
}
