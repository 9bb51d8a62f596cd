/**
 * Idle capacity: server memory (RSS of its process tree) per idle authenticated connection at
 * given connection counts, and how fast connections open.
 */
import type { GeneratorClient } from '../lib/generator-client.js';
import type { ClientSpec, ConnectResult } from '../lib/protocol.js';
import { treeRss } from '../lib/processes.js';
import { createUsers } from '../lib/setup.js';
import { round } from '../lib/stats.js';
import type { RunningTarget } from '../lib/targets.js';
import type { BenchContext } from './context.js';

export interface IdleLevel {
  requested: number;
  connections: number;
  rssBytes: number;
  bytesPerConnection: number;
  openedPerSecond: number;
  failed: number;
  note?: string;
}

export interface IdleResult {
  workload: 'idle';
  target: string;
  users: number;
  baselineRssBytes: number;
  levels: IdleLevel[];
  /** Connections opened per second over all batches. */
  openedPerSecond: number;
  error?: string;
}

const SHARD_CONCURRENCY = 100;

async function settledRss(pid: number): Promise<number> {
  // Let the handshakes' garbage settle, then take the lowest of a few readings.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  let lowest = Infinity;
  for (let i = 0; i < 3; i++) {
    lowest = Math.min(lowest, treeRss(pid));
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return lowest;
}

export async function runIdle(ctx: BenchContext, target: RunningTarget, levels: number[], connectionsPerUser: number): Promise<IdleResult> {
  // Neither the server nor one generator can hold more sockets than the open-files limit.
  const serverCap = ctx.socketsPerProcess;
  const wanted = levels.map((n) => Math.min(n, serverCap));
  const top = Math.max(...wanted);
  const userCount = Math.ceil(top / connectionsPerUser);
  const users = await createUsers(target.baseUrl, userCount, 'id');
  const result: IdleResult = { workload: 'idle', target: target.kind, users: userCount, baselineRssBytes: 0, levels: [], openedPerSecond: 0 };
  // Generator processes, each well under the open-files limit.
  const shardCount = Math.max(1, Math.ceil(top / Math.floor(ctx.socketsPerProcess * 0.6)));
  const shards: GeneratorClient[] = [ctx.generator];
  try {
    for (let i = 1; i < shardCount; i++) shards.push(ctx.startExtraGenerator());
    result.baselineRssBytes = await settledRss(target.pid);
    let open = 0;
    let totalOpened = 0;
    let totalMs = 0;
    for (const [i, level] of wanted.entries()) {
      const batch: ClientSpec[] = [];
      for (let c = open; c < level; c++) {
        const user = users[c % users.length]!;
        batch.push({ userId: user.id, token: user.token });
      }
      const parts = shards.map((_, s) => batch.filter((_, c) => c % shards.length === s));
      const t0 = Date.now();
      const outcomes = await Promise.all(
        shards.map((shard, s) =>
          shard.send<ConnectResult>({ cmd: 'connect', wsUrl: target.wsUrl, clients: parts[s]!, localAddresses: ctx.localAddresses, concurrency: SHARD_CONCURRENCY, timeoutMs: 30_000 }),
        ),
      );
      const elapsedMs = Date.now() - t0;
      const opened = outcomes.reduce((sum, o) => sum + o.opened, 0);
      const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
      open += opened;
      totalOpened += opened;
      totalMs += elapsedMs;
      const rss = await settledRss(target.pid);
      const entry: IdleLevel = {
        requested: levels[i]!,
        connections: open,
        rssBytes: rss,
        bytesPerConnection: Math.round((rss - result.baselineRssBytes) / Math.max(1, open)),
        openedPerSecond: round(opened / (elapsedMs / 1000), 0),
        failed,
      };
      if (level < levels[i]!) entry.note = `capped at ${level} by the open-files limit (${ctx.socketsPerProcess + 100})`;
      if (failed > 0) entry.note = `${entry.note ? `${entry.note}; ` : ''}${failed} failed: ${outcomes.flatMap((o) => o.errors)[0] ?? ''}`;
      result.levels.push(entry);
      ctx.log(`  ${open} idle connections: ${(entry.bytesPerConnection / 1024).toFixed(1)} KiB each, ${entry.openedPerSecond} opened/s${entry.note ? ` (${entry.note})` : ''}`);
    }
    result.openedPerSecond = round(totalOpened / (totalMs / 1000), 0);
  } finally {
    await Promise.all(shards.map((shard) => shard.send({ cmd: 'close' }).catch(() => undefined)));
    for (const shard of shards.slice(1)) await shard.stop();
  }
  return result;
}
