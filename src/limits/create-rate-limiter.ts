import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { EventBus } from '../bus/event-bus.js';
import { RedisEventBus } from '../bus/redis-event-bus.js';
import type { Config } from '../config/config.js';
import type { RateBudget, RateLimiter } from '../domain/ports/rate-limiter.js';
import { budgetsFromConfig, FlexibleRateLimiter, unlimited } from './rate-limiter.js';

/**
 * In memory for one process; in Redis when the bus is, so limits hold across processes.
 * If Redis is down, a per-process memory limiter stands in rather than blocking requests.
 */
export function createRateLimiter(config: Config, bus: EventBus): RateLimiter {
  if (!config.RATE_LIMITS) return unlimited;
  const budgets = budgetsFromConfig(config);
  if (!(bus instanceof RedisEventBus)) return FlexibleRateLimiter.inMemory(budgets);
  const make = (name: RateBudget) =>
    new RateLimiterRedis({
      storeClient: bus.publisher,
      useRedisPackage: false,
      keyPrefix: `${config.REDIS_KEY_PREFIX}rl:${name}`,
      points: budgets[name].points,
      duration: budgets[name].durationSeconds,
      insuranceLimiter: new RateLimiterMemory({ points: budgets[name].points, duration: budgets[name].durationSeconds }),
    });
  return new FlexibleRateLimiter({
    messages: make('messages'),
    logins: make('logins'),
    login_failures: make('login_failures'),
    registrations: make('registrations'),
  });
}
