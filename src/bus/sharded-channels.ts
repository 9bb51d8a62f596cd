/**
 * Sharded pub/sub on a Redis Cluster (SPUBLISH, SSUBSCRIBE), where each channel lives on the
 * shard owning its hash slot, so a publish costs one shard rather than the whole cluster bus.
 */
import type { Cluster } from 'ioredis';
import type { ChannelMessage, RedisChannels } from './redis-channels.js';

/** How long one confirming SSUBSCRIBE may take before the round counts as failed. */
const CONFIRM_TIMEOUT_MS = 3000;
/** Pauses between confirmation rounds while some channel is unconfirmed (the last one repeats). */
const RETRY_DELAYS_MS = [100, 250, 500, 1000, 2000];

/**
 * The subscriber client keeps one connection per shard. When one ends (a node restarted, a slot
 * moved) ioredis refreshes the topology, opens a new one, re-subscribes its channels and says
 * `subscribersReady`, but it says so even when the new connection failed or a re-subscription
 * was refused, and it only logs those failures: events then stop arriving with nothing reporting
 * it. So this class does not take ioredis's word. It keeps the set of channels the bus wants and,
 * after any shard connection is lost, counts itself down until it has issued SSUBSCRIBE for every
 * wanted channel again and each one was acknowledged by the shard now serving it (a repeat
 * SSUBSCRIBE on a connection that already has the channel is a no-op that still replies). It
 * retries until then; only then is it up again, and the bus tells connections to catch up.
 */
export class ShardedChannels implements RedisChannels {
  private readonly wanted = new Set<string>();
  /** Whether every wanted channel was acknowledged since the last loss. */
  private confirmed = true;
  /** Bumped on every loss, so a confirmation round that a loss overtook counts for nothing. */
  private epoch = 0;
  private round: Promise<void> | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retries = 0;
  private wasUp: boolean;
  private readonly upHandlers: (() => void)[] = [];
  private readonly downHandlers: (() => void)[] = [];

  constructor(
    private readonly publisher: Cluster,
    private readonly subscriber: Cluster,
  ) {
    this.wasUp = this.subscriberUp();
    // A shard's subscriber connection ended (ioredis names the node only for those), a shard's
    // subscriber was replaced on a topology change, or the whole cluster client disconnected.
    subscriber.on('-node', (_redis: unknown, nodeKey?: string) => {
      if (nodeKey !== undefined) this.lose();
    });
    subscriber.on('-subscriber', () => this.lose());
    subscriber.on('close', () => this.lose());
    subscriber.on('subscribersReady', () => this.confirmSoon(0));
    subscriber.on('ready', () => this.settle());
    subscriber.on('end', () => this.stopRetrying());
  }

  /** One SPUBLISH each: the channels live on different shards, which one pipeline cannot span. */
  publish(messages: readonly ChannelMessage[]): Promise<boolean[]> {
    return Promise.all(
      messages.map(({ channel, message }) =>
        this.publisher.spublish(channel, message).then(
          () => true,
          () => false,
        ),
      ),
    );
  }

  subscribe(channel: string): Promise<unknown> {
    this.wanted.add(channel);
    return this.subscriber.ssubscribe(channel);
  }

  unsubscribe(channel: string): Promise<unknown> {
    this.wanted.delete(channel);
    return this.subscriber.sunsubscribe(channel);
  }

  onMessage(handler: (channel: string, message: string) => void): void {
    this.subscriber.on('smessage', handler);
  }

  onUp(handler: () => void): void {
    this.upHandlers.push(handler);
  }

  onDown(handler: () => void): void {
    this.downHandlers.push(handler);
  }

  subscriberUp(): boolean {
    return this.subscriber.status === 'ready' && this.confirmed;
  }

  publisherUp(): boolean {
    return this.publisher.status === 'ready';
  }

  onPublisherUp(handler: () => void): void {
    this.publisher.on('ready', handler);
  }

  private lose(): void {
    this.epoch++;
    this.confirmed = false;
    this.retries = 0;
    this.settle();
    this.confirmSoon(RETRY_DELAYS_MS[0]!);
  }

  /** Tells the handlers when being up changed (down at once; up only once confirmed). */
  private settle(): void {
    const up = this.subscriberUp();
    if (up === this.wasUp) return;
    this.wasUp = up;
    for (const handler of up ? this.upHandlers : this.downHandlers) handler();
  }

  private confirmSoon(delayMs: number): void {
    if (this.confirmed || this.subscriber.status === 'end') return;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.confirm();
    }, delayMs);
    this.retryTimer.unref();
  }

  private stopRetrying(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /** One round: SSUBSCRIBE every wanted channel again; up if all were acknowledged and nothing was lost meanwhile. */
  private async confirm(): Promise<void> {
    if (this.round) return this.round;
    const epoch = this.epoch;
    const channels = [...this.wanted];
    this.round = (async () => {
      const acknowledged = await Promise.all(channels.map((channel) => this.resubscribe(channel)));
      this.dedupeClientChannelList();
      if (this.confirmed || epoch !== this.epoch) return;
      if (acknowledged.every(Boolean) && this.subscriber.status === 'ready') {
        this.confirmed = true;
        this.settle();
        return;
      }
      this.retries++;
      this.confirmSoon(RETRY_DELAYS_MS[Math.min(this.retries, RETRY_DELAYS_MS.length - 1)]!);
    })().finally(() => {
      this.round = null;
      // A loss during the round scheduled a round that found this one running: run it now.
      if (epoch !== this.epoch) this.confirmSoon(0);
    });
    return this.round;
  }

  private async resubscribe(channel: string): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CONFIRM_TIMEOUT_MS)));
    const acknowledged = this.subscriber.ssubscribe(channel).then(
      () => true,
      () => false,
    );
    const ok = await Promise.race([acknowledged, timeout]);
    clearTimeout(timer);
    // Unwatched while the round ran: do not keep a subscription nobody wants.
    if (ok && !this.wanted.has(channel)) this.subscriber.sunsubscribe(channel).catch(() => {});
    return ok;
  }

  /**
   * ioredis appends a channel to its per-slot list on every SSUBSCRIBE, a repeat included, and
   * re-subscribes that list after each reconnect; without this, every confirmation round would
   * grow it by the wanted set. Reaches into ioredis 6's ClusterSubscriberGroup (`channels`, a
   * Map from slot to channel names); does nothing if that shape is not there.
   */
  private dedupeClientChannelList(): void {
    const group = (this.subscriber as unknown as { shardedSubscribers?: { channels?: unknown } }).shardedSubscribers;
    const lists = group?.channels;
    if (!(lists instanceof Map)) return;
    for (const [slot, list] of lists as Map<unknown, unknown>) {
      if (Array.isArray(list) && new Set(list).size !== list.length) lists.set(slot, [...new Set(list)]);
    }
  }
}
