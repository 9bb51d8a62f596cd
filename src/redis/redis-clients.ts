import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.js';

/** How long a starting process waits for Redis before serving without it. */
const STARTUP_WAIT_MS = 3000;

/**
 * The process's two Redis connections, opened once by buildApp and shared by the event bus and
 * the rate limiter; closed once, after the bus, on shutdown. A connection in subscriber mode can
 * run no other command, hence two.
 */
export class RedisClients {
  /**
   * Publishes and rate-limit counters. No offline queue: while Redis is away a command fails at
   * once (the rate limiter falls back to its in-memory insurance), so a send never waits for it.
   */
  readonly commands: Redis;
  /** Pub/sub only. Retries forever and re-subscribes to every channel after a reconnect. */
  readonly subscriber: Redis;

  constructor(url: string, log: FastifyBaseLogger) {
    this.commands = new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    this.subscriber = new Redis(url, { autoResubscribe: true, maxRetriesPerRequest: null });
    for (const client of [this.commands, this.subscriber]) client.on('error', (error) => log.debug({ err: error }, 'redis error'));
  }

  /** Resolves once both connections are up, or after `timeoutMs`; says whether they are. */
  async ready(timeoutMs: number): Promise<boolean> {
    const up = (client: Redis) =>
      client.status === 'ready' ? Promise.resolve() : new Promise<void>((resolve) => client.once('ready', () => resolve()));
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([Promise.all([up(this.commands), up(this.subscriber)]), timeout]);
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.commands.quit(), this.subscriber.quit()]);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }
}

/**
 * Opens the connections when REDIS_URL is set (null for a single process), waiting briefly for
 * them so a new process is ready at once. Starts even if Redis is down: sends keep working,
 * /readyz reports the bus, and fan-out between processes resumes when Redis returns.
 */
export async function connectRedis(config: Config, log: FastifyBaseLogger): Promise<RedisClients | null> {
  if (config.REDIS_URL === null) return null;
  const clients = new RedisClients(config.REDIS_URL, log);
  if (!(await clients.ready(STARTUP_WAIT_MS))) log.warn('Redis is not reachable yet; live events stay within this process until it is');
  return clients;
}
