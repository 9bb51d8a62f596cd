import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClients } from '../redis/redis-clients.js';
import { prepareDelivery } from './deliveries.js';
import type { EventBus, Outbound, UserDelivery } from './event-bus.js';
import { redisChannels, type RedisChannels } from './redis-channels.js';
import { decodeEnvelope, encodeEnvelope } from './redis-envelope.js';

/** How long a new connection waits for its user's subscription before going ahead without it. */
const SUBSCRIBE_WAIT_MS = 1000;

/**
 * Redis pub/sub with one channel per user. A process subscribes to the channels of the users
 * it holds connections for, so it receives only their deliveries. A delivery for N users
 * costs N PUBLISHes (SPUBLISHes on a Redis Cluster, where user channels spread over the
 * shards), pipelined without waiting for replies; the payload is serialized once and forwarded
 * to sockets unparsed. Local recipients are served directly, so a Redis outage never stops
 * delivery within a process nor blocks a send: publishes fail fast (no offline queue), and
 * when the subscriber reconnects every local connection is told to catch up. The connections
 * belong to RedisClients (shared with the rate limiter), which closes them after the bus.
 */
export class RedisEventBus implements EventBus {
  private readonly origin = randomUUID();
  private readonly channels: RedisChannels;
  private handler: (delivery: UserDelivery) => void = () => {};
  private readonly interruptedHandlers: (() => void)[] = [];
  private readonly holds = new Map<string, number>();
  private subscriberReady = false;
  private lostSubscriber = false;
  private closing = false;

  constructor(
    clients: RedisClients,
    private readonly prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.channels = redisChannels(clients);
    // The connections may be up already (they are opened, and awaited, before the bus).
    this.subscriberReady = this.channels.subscriberUp();
    this.channels.onMessage((channel, raw) => this.receive(channel, raw));
    this.channels.onUp(() => {
      this.subscriberReady = true;
      if (this.lostSubscriber) {
        this.lostSubscriber = false;
        this.log.warn('event bus reconnected; asking local connections to catch up');
        for (const handler of this.interruptedHandlers) handler();
      }
    });
    this.channels.onDown(() => {
      if (this.subscriberReady && !this.closing) {
        this.log.warn('event bus connection lost');
        this.lostSubscriber = true;
      }
      this.subscriberReady = false;
    });
  }

  send(outbound: Outbound): void {
    const prepared = prepareDelivery(outbound);
    for (const userId of prepared.userIds) this.handler(prepared.delivery(userId));
    if (!this.channels.publisherUp()) return;
    const envelope = encodeEnvelope({ origin: this.origin, kind: outbound.kind === 'frame' ? 'frame' : 'close', order: prepared.order, payload: prepared.text });
    this.channels
      .publish(prepared.userIds.map((userId) => this.channel(userId)), envelope)
      .catch((error: unknown) => this.log.debug({ err: error }, 'redis publish failed'));
  }

  onDelivery(handler: (delivery: UserDelivery) => void): void {
    this.handler = handler;
  }

  onInterrupted(handler: () => void): void {
    this.interruptedHandlers.push(handler);
  }

  async watchUser(userId: string): Promise<void> {
    const holds = (this.holds.get(userId) ?? 0) + 1;
    this.holds.set(userId, holds);
    if (holds > 1) return;
    const subscribed = this.channels.subscribe(this.channel(userId)).then(
      () => {},
      (error: unknown) => this.log.debug({ err: error }, 'redis subscribe failed'),
    );
    // While Redis is away, connect anyway: local delivery works, and the reconnect triggers a catch-up.
    if (!this.subscriberReady) return;
    await Promise.race([subscribed, new Promise<void>((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
  }

  unwatchUser(userId: string): void {
    const holds = (this.holds.get(userId) ?? 0) - 1;
    if (holds > 0) {
      this.holds.set(userId, holds);
      return;
    }
    this.holds.delete(userId);
    this.channels.unsubscribe(this.channel(userId)).catch(() => {});
  }

  isHealthy(): boolean {
    return this.subscriberReady && this.channels.publisherUp();
  }

  /** Stops delivering; the connections themselves are closed by their owner, RedisClients. */
  async close(): Promise<void> {
    this.closing = true;
    this.handler = () => {};
  }

  private channel(userId: string): string {
    return `${this.prefix}u:${userId}`;
  }

  private receive(channel: string, raw: string): void {
    // Our own publishes come back for local users (served directly already): the origin leads
    // the envelope, so they are dropped without decoding.
    if (raw.startsWith(this.origin)) return;
    const envelope = decodeEnvelope(raw);
    if (!envelope || envelope.origin === this.origin) return;
    const userId = channel.slice(this.prefix.length + 2);
    if (envelope.kind === 'frame') {
      this.handler({ kind: 'frame', userId, text: envelope.payload, order: envelope.order });
      return;
    }
    try {
      const { sessionIds, code, reason } = JSON.parse(envelope.payload) as { sessionIds: string[]; code: number; reason: string };
      this.handler({ kind: 'close-sessions', userId, sessionIds, code, reason });
    } catch {
      this.log.warn('ignored a malformed close order from the bus');
    }
  }
}
