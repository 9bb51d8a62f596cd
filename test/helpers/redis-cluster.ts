/**
 * A three-node Redis Cluster on loopback, started from the machine's `redis-server` for one
 * suite: three masters, no replicas, each owning a third of the hash slots. Requires Redis 7
 * (sharded pub/sub); the global setup probes for it (PNEUMATIC_TEST_REDIS_CLUSTER).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePorts } from './server-process.js';

export interface RedisClusterNode {
  port: number;
  /** A plain (non-cluster) connection to this node, for inspecting it. */
  client(): Redis;
  /** Kills the node (SIGKILL) and starts it again on the same ports and cluster config: it keeps its slots, not its data. */
  restart(): Promise<void>;
}

export interface TestRedisCluster {
  nodes: RedisClusterNode[];
  /** The value of REDIS_CLUSTER_NODES for servers on this cluster. */
  seeds: string;
  stop(): Promise<void>;
}

/** Null when a cluster can be started here, else why not. */
export function redisClusterUnavailable(): string | null {
  for (const binary of ['redis-server', 'redis-cli']) {
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) return `${binary} not found (install Redis 7 or later)`;
    const major = /v=(\d+)\.|redis-cli (\d+)\./.exec(probe.stdout);
    const version = Number(major?.[1] ?? major?.[2] ?? 0);
    if (version < 7) return `${binary} is version ${version || 'unknown'}; sharded pub/sub needs Redis 7 or later`;
  }
  return null;
}

async function until(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function query<T>(port: number, run: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on('error', () => {});
  try {
    await redis.connect();
    return await run(redis);
  } finally {
    redis.disconnect();
  }
}

/**
 * Starts the cluster, and once more on fresh ports if a node could not bind: another test
 * process may take a chosen port between choosing it and redis-server binding it.
 */
export async function startRedisCluster(size = 3): Promise<TestRedisCluster> {
  try {
    return await startRedisClusterOnce(size);
  } catch (error) {
    if (!/Address already in use/.test(String(error))) throw error;
    return startRedisClusterOnce(size);
  }
}

async function startRedisClusterOnce(size: number): Promise<TestRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pneumatic-redis-cluster-'));
  const children: ChildProcess[] = [];
  const ports: number[] = [];
  const busPorts: number[] = [];
  const output: string[] = [];
  const launch = (port: number, busPort: number): ChildProcess => {
    const child = spawn(
      'redis-server',
      // prettier-ignore
      ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--cluster-port', String(busPort),
       '--cluster-config-file', join(dir, `nodes-${port}.conf`), '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
    return child;
  };
  const kill = (child: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  const clusterOk = (port: number) => until(async () => /cluster_state:ok/.test(await query(port, (r) => r.cluster('INFO') as Promise<string>)), 20_000, `cluster_state:ok on ${port}`);
  const stop = async () => {
    await Promise.all(children.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // The cluster bus port is given too: the default (port + 10000) may be past 65535.
    const chosen = await freePorts(size * 2);
    for (let i = 0; i < size; i++) {
      const [port, busPort] = [chosen[2 * i]!, chosen[2 * i + 1]!];
      ports.push(port);
      busPorts.push(busPort);
      children.push(launch(port, busPort));
    }
    for (const port of ports) await until(async () => (await query(port, (r) => r.ping())) === 'PONG', 10_000, `redis-server on ${port}`);
    const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed:\n${create.stdout}${create.stderr}`);
    for (const port of ports) await clusterOk(port);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${output.join('')}`);
  }
  return {
    nodes: ports.map((port, i) => ({
      port,
      client: () => new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 }).on('error', () => {}),
      restart: async () => {
        await kill(children[i]!);
        children[i] = launch(port, busPorts[i]!);
        for (const p of ports) await clusterOk(p);
      },
    })),
    seeds: ports.map((p) => `127.0.0.1:${p}`).join(','),
    stop,
  };
}
