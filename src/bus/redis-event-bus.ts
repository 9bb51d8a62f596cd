import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClients } from '../redis/redis-clients.js';
import { prepareDelivery } from './deliveries.js';
import type { EventBus, Outbound, UserDelivery } from './event-bus.js';
import { redisChannels, type RedisChannels } from './redis-channels.js';
import { PublishBatcher } from './publish-batcher.js';
import { decodeBatch, encodeEnvelope, isFrom, type Envelope } from './redis-envelope.js';
import { RouteChannels } from './route-channels.js';

/** How long a new connection waits for the route subscriptions before going ahead without them. */
const SUBSCRIBE_WAIT_MS = 1000;

/**
 * Redis pub/sub routed by event, not by user: a delivery is published once, on its
 * conversation's route channel, with the list of recipient user ids in its header; every
 * process subscribes to every route channel and hands the payload (serialized once, forwarded
 * unparsed) to the sockets of the recipients it holds. A message to M members therefore costs
 * one PUBLISH (SPUBLISH on a Redis Cluster, where the route channels spread over the shards)
 * rather than M, and each other process reads it once rather than once per recipient it holds.
 * The price is that every process reads every event; docs/scaling.md says where that stops
 * paying. Local recipients are served directly, so a Redis outage never stops delivery within
 * a process nor blocks a send: publishes fail fast (no offline queue), and when the subscriber
 * reconnects every local connection is told to catch up. The connections belong to
 * RedisClients (shared with the rate limiter), which closes them after the bus.
 */
export class RedisEventBus implements EventBus {
  private readonly origin = randomUUID();
  private readonly channels: RedisChannels;
  private readonly routes: RouteChannels;
  private readonly batcher: PublishBatcher;
  /** Settles once every route channel is subscribed (or the attempt failed: the reconnect catches up). */
  private readonly routesSubscribed: Promise<void>;
  private handler: (delivery: UserDelivery) => void = () => {};
  private readonly interruptedHandlers: (() => void)[] = [];
  private invalidationHandler: (keys: readonly string[]) => void = () => {};
  /** Local connections per user: the users whose deliveries this process hands on. */
  private readonly holds = new Map<string, number>();
  /** Invalidations that could not be published yet, by route key: sent when the publisher is back. */
  private readonly unsentInvalidations = new Map<string, Set<string>>();
  private routesReady = false;
  private subscriberReady = false;
  private lostSubscriber = false;
  private closing = false;

  constructor(
    clients: RedisClients,
    prefix: string,
    private readonly log: FastifyBaseLogger,
  ) {
    this.channels = redisChannels(clients);
    this.routes = new RouteChannels(prefix);
    this.batcher = new PublishBatcher(
      this.origin,
      (messages) => this.channels.publish(messages),
      () => this.log.debug('a redis publish failed'),
    );
    // The connections may be up already (they are opened, and awaited, before the bus).
    this.subscriberReady = this.channels.subscriberUp();
    this.channels.onMessage((_channel, raw) => this.receive(raw));
    this.routesSubscribed = Promise.all(this.routes.all.map((channel) => this.channels.subscribe(channel))).then(
      () => {
        this.routesReady = true;
      },
      (error: unknown) => this.log.warn({ err: error }, 'redis subscribe failed'),
    );
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
    this.channels.onPublisherUp(() => this.flushInvalidations());
  }

  send(outbound: Outbound): void {
    const prepared = prepareDelivery(outbound);
    for (const userId of prepared.userIds) this.handler(prepared.delivery(userId));
    if (prepared.userIds.length === 0) return;
    const routeKey = prepared.order?.conversationId ?? prepared.userIds[0]!;
    this.publish(routeKey, { kind: outbound.kind === 'frame' ? 'frame' : 'close', order: prepared.order, recipients: prepared.userIds, payload: prepared.text });
  }

  onDelivery(handler: (delivery: UserDelivery) => void): void {
    this.handler = handler;
  }

  onInterrupted(handler: () => void): void {
    this.interruptedHandlers.push(handler);
  }

  invalidate(keys: readonly string[], routeKey: string): void {
    this.keepUnsent(routeKey, keys);
    this.flushInvalidations();
  }

  onInvalidation(handler: (keys: readonly string[]) => void): void {
    this.invalidationHandler = handler;
  }

  async watchUser(userId: string): Promise<void> {
    this.holds.set(userId, (this.holds.get(userId) ?? 0) + 1);
    // While Redis is away, connect anyway: local delivery works, and the reconnect triggers a catch-up.
    if (this.routesReady || !this.subscriberReady) return;
    await Promise.race([this.routesSubscribed, new Promise<void>((resolve) => setTimeout(resolve, SUBSCRIBE_WAIT_MS).unref())]);
  }

  unwatchUser(userId: string): void {
    const holds = (this.holds.get(userId) ?? 0) - 1;
    if (holds > 0) this.holds.set(userId, holds);
    else this.holds.delete(userId);
  }

  isHealthy(): boolean {
    return this.subscriberReady && this.channels.publisherUp();
  }

  /** Stops delivering; the connections themselves are closed by their owner, RedisClients. */
  async close(): Promise<void> {
    this.closing = true;
    this.handler = () => {};
    this.invalidationHandler = () => {};
  }

  /** Queues the envelope for this turn's batch on its route channel; false if the publisher is down. */
  private publish(routeKey: string, envelope: Envelope, onUnsent?: () => void): boolean {
    if (!this.channels.publisherUp()) return false;
    this.batcher.add(this.routes.for(routeKey), encodeEnvelope(envelope), onUnsent);
    return true;
  }

  private flushInvalidations(): void {
    if (this.unsentInvalidations.size === 0 || !this.channels.publisherUp()) return;
    const batches = [...this.unsentInvalidations];
    this.unsentInvalidations.clear();
    for (const [routeKey, keys] of batches) {
      // Kept for the next flush if it cannot leave: when the publisher is back, or with the next announcement.
      const keep = () => this.keepUnsent(routeKey, keys);
      if (!this.publish(routeKey, { kind: 'invalidate', order: null, recipients: [], payload: [...keys].join('\n') }, keep)) keep();
    }
  }

  private keepUnsent(routeKey: string, keys: Iterable<string>): void {
    const unsent = this.unsentInvalidations.get(routeKey);
    if (unsent) for (const key of keys) unsent.add(key);
    else this.unsentInvalidations.set(routeKey, new Set(keys));
  }

  private receive(raw: string): void {
    // Our own batches come back (their local recipients were served directly): dropped unread.
    if (isFrom(raw, this.origin)) return;
    const batch = decodeBatch(raw);
    if (!batch) return;
    for (const envelope of batch.envelopes) this.receiveEnvelope(envelope);
  }

  private receiveEnvelope(envelope: Envelope): void {
    if (envelope.kind === 'invalidate') {
      this.invalidationHandler(envelope.payload.split('\n'));
      return;
    }
    const local = envelope.recipients.filter((userId) => this.holds.has(userId));
    if (local.length === 0) return;
    if (envelope.kind === 'frame') {
      for (const userId of local) this.handler({ kind: 'frame', userId, text: envelope.payload, order: envelope.order });
      return;
    }
    try {
      const { sessionIds, code, reason } = JSON.parse(envelope.payload) as { sessionIds: string[]; code: number; reason: string };
      for (const userId of local) this.handler({ kind: 'close-sessions', userId, sessionIds, code, reason });
    } catch {
      this.log.warn('ignored a malformed close order from the bus');
    }
  }
}
