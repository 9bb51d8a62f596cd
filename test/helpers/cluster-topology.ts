/**
 * The test topology named by PNEUMATIC_TEST_TOPOLOGY. Unset: each API suite's server runs in the
 * test process (test/helpers/server.ts). `cluster3`: startServer instead spawns three server
 * processes (dist/src/main.js) sharing one PostgreSQL database and a three-node Redis Cluster
 * started for the suite, behind a round-robin TCP proxy on loopback, so consecutive connections
 * (HTTP and WebSocket) land on different processes and live events must cross the bus. That is
 * the v1 contract's "three processes on a three-node Redis Cluster"; only black-box suites can
 * run that way (see CLUSTER_SUITES in vitest.config.ts for the ones CI runs so).
 */
import { randomUUID } from 'node:crypto';
import { loadConfig, type Config } from '../../src/config/config.js';
import { createTestDatabase, type TestDatabase } from './databases.js';
import { startRedisCluster, type TestRedisCluster } from './redis-cluster.js';
import { startRoundRobinProxy } from './round-robin-proxy.js';
import { spawnServer, type ServerProcess } from './server-process.js';

export type Topology = 'single' | 'cluster3';

export function testTopology(): Topology {
  const value = process.env.PNEUMATIC_TEST_TOPOLOGY ?? 'single';
  if (value !== 'single' && value !== 'cluster3') throw new Error(`PNEUMATIC_TEST_TOPOLOGY must be single or cluster3, not ${value}`);
  return value;
}

/** One Redis Cluster per test file (each file runs in a process of its own), shared by its servers. */
let sharedCluster: { cluster: Promise<TestRedisCluster>; users: number } | null = null;

async function acquireRedisCluster(): Promise<TestRedisCluster> {
  sharedCluster ??= { cluster: startRedisCluster(), users: 0 };
  sharedCluster.users++;
  return sharedCluster.cluster;
}

async function releaseRedisCluster(): Promise<void> {
  if (!sharedCluster || --sharedCluster.users > 0) return;
  const { cluster } = sharedCluster;
  sharedCluster = null;
  await (await cluster).stop();
}

export interface ThreeProcesses {
  config: Config;
  database: TestDatabase;
  url: string;
  wsUrl: string;
  processes: ServerProcess[];
  close(): Promise<void>;
}

/** Three processes configured by `env` (as a user would set it) on one database and one Redis Cluster. */
export async function startThreeProcesses(env: Record<string, string> = {}, reuse?: TestDatabase): Promise<ThreeProcesses> {
  if (process.env.PNEUMATIC_TEST_POSTGRES !== 'up') throw new Error('PNEUMATIC_TEST_TOPOLOGY=cluster3 needs PostgreSQL (three processes share one database)');
  if (process.env.PNEUMATIC_TEST_REDIS_CLUSTER !== 'up') throw new Error('PNEUMATIC_TEST_TOPOLOGY=cluster3 needs redis-server 7 or later');
  const database = reuse ?? (await createTestDatabase('postgres'));
  const cluster = await acquireRedisCluster();
  const settings = { ...env, DATABASE_URL: database.url, REDIS_CLUSTER_NODES: cluster.seeds, REDIS_KEY_PREFIX: `test-${randomUUID()}:` };
  const processes: ServerProcess[] = [];
  try {
    // The first applies the migrations; the others then start on a ready database.
    processes.push(await spawnServer(settings));
    processes.push(...(await Promise.all([spawnServer(settings), spawnServer(settings)])));
  } catch (error) {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
    await releaseRedisCluster();
    if (!reuse) await database.drop();
    throw error;
  }
  const proxy = await startRoundRobinProxy(processes.map((p) => ({ host: '127.0.0.1', port: p.port })));
  let closed = false;
  return {
    config: loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', PASSWORD_HASH_COST: 'test', ...settings }),
    database,
    url: `http://127.0.0.1:${proxy.port}`,
    wsUrl: `ws://127.0.0.1:${proxy.port}`,
    processes,
    close: async () => {
      if (closed) return;
      closed = true;
      await proxy.close();
      await Promise.all(processes.map((p) => p.stop('SIGTERM')));
      await releaseRedisCluster();
      if (!reuse) await database.drop();
    },
  };
}
