/**
 * The pub/sub primitives the Redis event bus needs, for a single Redis (PUBLISH, SUBSCRIBE) and
 * for a Redis Cluster (SPUBLISH, SSUBSCRIBE: sharded pub/sub, where each channel lives on the
 * shard owning its hash slot, so a publish costs one shard rather than the whole cluster bus).
 */
import type { Cluster, Redis } from 'ioredis';
import type { RedisClients } from '../redis/redis-clients.js';
import { ShardedChannels } from './sharded-channels.js';

export interface RedisChannels {
  /** Publishes each message on its channel; resolves, never rejects, with whether each was sent. */
  publish(messages: readonly ChannelMessage[]): Promise<boolean[]>;
  subscribe(channel: string): Promise<unknown>;
  unsubscribe(channel: string): Promise<unknown>;
  onMessage(handler: (channel: string, message: string) => void): void;
  /** The subscription is back, every channel re-subscribed (on a cluster: confirmed, see ShardedChannels). */
  onUp(handler: () => void): void;
  /** The subscription lost a connection: messages may have been missed. */
  onDown(handler: () => void): void;
  subscriberUp(): boolean;
  publisherUp(): boolean;
  /** The publishing connection is (back) up. */
  onPublisherUp(handler: () => void): void;
}

export interface ChannelMessage {
  channel: string;
  message: string;
}

export function redisChannels(clients: RedisClients): RedisChannels {
  return clients.sharded
    ? new ShardedChannels(clients.commands as Cluster, clients.subscriber as Cluster)
    : new ClassicChannels(clients.commands as Redis, clients.subscriber as Redis);
}

/** One Redis: the messages of a turn are PUBLISHes pipelined in one socket write. */
class ClassicChannels implements RedisChannels {
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
  ) {}

  async publish(messages: readonly ChannelMessage[]): Promise<boolean[]> {
    const pipeline = this.publisher.pipeline();
    for (const { channel, message } of messages) pipeline.publish(channel, message);
    try {
      const replies = await pipeline.exec();
      return messages.map((_, i) => replies?.[i]?.[0] === null);
    } catch {
      return messages.map(() => false);
    }
  }

  subscribe(channel: string): Promise<unknown> {
    return this.subscriber.subscribe(channel);
  }

  unsubscribe(channel: string): Promise<unknown> {
    return this.subscriber.unsubscribe(channel);
  }

  onMessage(handler: (channel: string, message: string) => void): void {
    this.subscriber.on('message', handler);
  }

  onUp(handler: () => void): void {
    this.subscriber.on('ready', handler);
  }

  onDown(handler: () => void): void {
    this.subscriber.on('close', handler);
  }

  subscriberUp(): boolean {
    return this.subscriber.status === 'ready';
  }

  publisherUp(): boolean {
    return this.publisher.status === 'ready';
  }

  onPublisherUp(handler: () => void): void {
    this.publisher.on('ready', handler);
  }
}
