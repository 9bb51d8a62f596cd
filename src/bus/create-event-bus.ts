import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../config/config.js';
import type { EventBus } from './event-bus.js';
import { LocalEventBus } from './local-event-bus.js';
import { RedisEventBus } from './redis-event-bus.js';

const STARTUP_WAIT_MS = 3000;

/** In-process by default; Redis when REDIS_URL is set, so any number of processes serve the same users. */
export async function createEventBus(config: Config, log: FastifyBaseLogger): Promise<EventBus> {
  if (config.REDIS_URL === null) return new LocalEventBus();
  const bus = new RedisEventBus(config.REDIS_URL, config.REDIS_KEY_PREFIX, log);
  // Start even if Redis is down: sends keep working, /readyz reports the bus, fan-out resumes later.
  if (!(await bus.ready(STARTUP_WAIT_MS))) log.warn('Redis is not reachable yet; live events stay within this process until it is');
  return bus;
}
