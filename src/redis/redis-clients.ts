import type { FastifyBaseLogger } from 'fastify';
import { Cluster, Redis } from 'ioredis';
import type { Config, RedisClusterSetting } from '../config/config.js';

/** How long a starting process waits for Redis before serving without it. */
const STARTUP_WAIT_MS = 3000;

/**
 * The process's two Redis connections, opened once by buildApp and shared by the event bus and
 * the rate limiter; closed once, after the bus, on shutdown. A connection in subscriber mode can
 * run no other command, hence two. With a Redis Cluster each "connection" is an ioredis Cluster
 * client holding one connection per node (the subscriber one per shard, for sharded pub/sub).
 */
export class RedisClients {
  /**
   * Publishes and rate-limit counters. No offline queue: while Redis is away a command fails at
   * once (the rate limiter falls back to its in-memory insurance), so a send never waits for it.
   */
  readonly commands: Redis | Cluster;
  /** Pub/sub only. Retries forever and re-subscribes to every channel after a reconnect. */
  readonly subscriber: Redis | Cluster;

  private constructor(commands: Redis | Cluster, subscriber: Redis | Cluster, log: FastifyBaseLogger) {
    this.commands = commands;
    this.subscriber = subscriber;
    for (const client of [this.commands, this.subscriber]) client.on('error', (error) => log.debug({ err: error }, 'redis error'));
  }

  /** A single Redis at `url`. */
  static single(url: string, log: FastifyBaseLogger): RedisClients {
    return new RedisClients(
      new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
      new Redis(url, { autoResubscribe: true, maxRetriesPerRequest: null }),
      log,
    );
  }

  /**
   * A Redis Cluster discovered from `setting.nodes`. The cluster-wide offline queue is off for
   * commands (fail fast while the cluster is down); node connections keep theirs, because they
   * open lazily on their first command. No auto-pipelining: ioredis 6 handles a MOVED reply to
   * an auto-pipelined batch by retrying the batch without reopening the connection to the node
   * it names (redis/ioredis#2075), so after a shard restarted every publish to it could fail
   * with MOVED until the process restarted. Commands still go out back to back without waiting
   * for replies. The subscriber uses sharded pub/sub: one connection per shard, opened when a
   * channel on it is first subscribed and re-subscribed after a topology change (which the bus
   * confirms itself: see ShardedChannels).
   */
  static cluster(setting: RedisClusterSetting, log: FastifyBaseLogger): RedisClients {
    const redisOptions = {
      ...(setting.username !== null ? { username: setting.username } : {}),
      ...(setting.password !== null ? { password: setting.password } : {}),
      ...(setting.tls ? { tls: {} } : {}),
    };
    const nodes = setting.nodes.map((node) => ({ host: node.host, port: node.port }));
    return new RedisClients(
      new Cluster(nodes, { enableOfflineQueue: false, redisOptions: { ...redisOptions, maxRetriesPerRequest: 1 } }),
      new Cluster(nodes, { shardedSubscribers: true, redisOptions: { ...redisOptions, maxRetriesPerRequest: null } }),
      log,
    );
  }

  /** Whether these are Redis Cluster clients (channels are then sharded: SPUBLISH and SSUBSCRIBE). */
  get sharded(): boolean {
    return this.commands instanceof Cluster;
  }

  /** Resolves once both connections are up, or after `timeoutMs`; says whether they are. */
  async ready(timeoutMs: number): Promise<boolean> {
    const up = (client: Redis | Cluster) =>
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
 * Opens the connections when REDIS_URL or REDIS_CLUSTER_NODES is set (null for a single
 * process), waiting briefly for them so a new process is ready at once. Starts even if Redis is
 * down: sends keep working, /readyz reports the bus, and fan-out between processes resumes when
 * Redis returns.
 */
export async function connectRedis(config: Config, log: FastifyBaseLogger): Promise<RedisClients | null> {
  let clients: RedisClients;
  if (config.REDIS_URL !== null) clients = RedisClients.single(config.REDIS_URL, log);
  else if (config.REDIS_CLUSTER_NODES !== null) clients = RedisClients.cluster(config.REDIS_CLUSTER_NODES, log);
  else return null;
  if (!(await clients.ready(STARTUP_WAIT_MS))) log.warn('Redis is not reachable yet; live events stay within this process until it is');
  return clients;
}
