import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Config } from '../config/config.js';
import type { RateLimiter } from '../domain/ports/rate-limiter.js';
import type { RedisClients } from '../redis/redis-clients.js';
import { budgetsFromConfig, FlexibleRateLimiter, limitersFor, unlimited } from './rate-limiter.js';

/**
 * In memory for a single process; in Redis otherwise, so limits hold across processes. Counters
 * go through the shared command connection, which fails fast while Redis is away: then a
 * per-process memory limiter (the insurance limiter) stands in rather than blocking requests.
 * Every counter is one key touched alone (a script or MULTI on that key), so on a Redis Cluster
 * the keys need no hash tag: each lands on the shard of its own slot, and the load spreads.
 */
export function createRateLimiter(config: Config, redis: RedisClients | null): RateLimiter {
  if (!config.RATE_LIMITS) return unlimited;
  const budgets = budgetsFromConfig(config);
  if (redis === null) return FlexibleRateLimiter.inMemory(budgets);
  return new FlexibleRateLimiter(
    limitersFor(budgets, (name, spec) =>
      new RateLimiterRedis({
        storeClient: redis.commands,
        useRedisPackage: false,
        keyPrefix: `${config.REDIS_KEY_PREFIX}rl:${name}`,
        points: spec.points,
        duration: spec.durationSeconds,
        insuranceLimiter: new RateLimiterMemory({ points: spec.points, duration: spec.durationSeconds }),
      }),
    ),
  );
}
