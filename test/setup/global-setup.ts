/**
 * Compiles the server for the suites that spawn it (see build-server.ts), and probes PostgreSQL,
 * Redis and redis-server (for the suites that start a Redis Cluster) once per run. Present: their suites run. Absent: they are skipped with a line saying why, unless
 * CI=true, where they are required.
 */
import { Redis } from 'ioredis';
import { postgresReachable } from '../helpers/dialects.js';
import { redisClusterUnavailable } from '../helpers/redis-cluster.js';
import { buildServerForTests } from './build-server.js';

export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379';

async function redisReachable(): Promise<string | null> {
  const redis = new Redis(REDIS_TEST_URL, { lazyConnect: true, connectTimeout: 2000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message || 'unreachable' : String(error);
  } finally {
    redis.disconnect();
  }
}

export default async function setup(): Promise<void> {
  buildServerForTests();
  const ci = process.env.CI === 'true';
  const wanted = (process.env.DIALECTS ?? 'sqlite,postgres').split(',');
  const problems: string[] = [];
  if (wanted.includes('postgres')) {
    const pgProblem = await postgresReachable();
    process.env.PNEUMATIC_TEST_POSTGRES = pgProblem ? 'down' : 'up';
    if (pgProblem) problems.push(`PostgreSQL suites skipped: ${pgProblem} (start PostgreSQL or set PG_ADMIN_URL)`);
  }
  const redisProblem = await redisReachable();
  process.env.PNEUMATIC_TEST_REDIS = redisProblem ? 'down' : 'up';
  if (redisProblem) problems.push(`Redis suites skipped: ${redisProblem} (start Redis or set REDIS_TEST_URL)`);
  const clusterProblem = redisClusterUnavailable();
  process.env.PNEUMATIC_TEST_REDIS_CLUSTER = clusterProblem ? 'down' : 'up';
  if (clusterProblem) problems.push(`Redis Cluster suites skipped: ${clusterProblem}`);
  for (const line of problems) console.warn(`\n⚠ ${line}`);
  if (ci && problems.length > 0) throw new Error(`CI=true requires PostgreSQL, Redis and redis-server:\n${problems.join('\n')}`);
}
