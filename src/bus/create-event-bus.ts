import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { RedisClients } from '../redis/redis-clients.js';
import type { EventBus } from './event-bus.js';
import { LocalEventBus } from './local-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';

/** In-process for a single process; over Redis otherwise, so any number of processes serve the same users. */
export function createEventBus(config: Config, redis: RedisClients | null, log: FastifyBaseLogger): EventBus {
  return redis === null ? new LocalEventBus() : new RedisEventBus(redis, config.REDIS_KEY_PREFIX, log);
}
