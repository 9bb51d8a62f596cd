/**
 * The channels events travel on between processes. Every process subscribes to all of them, so
 * a process sees every event once, whoever its recipients are, and a new connection needs no
 * subscription of its own. A conversation's events always take the same channel, so one
 * publisher's events of a conversation arrive in the order they were published. There are
 * several channels only so that a Redis Cluster spreads them, and their load, over its shards
 * (each sharded channel lives on the shard owning its hash slot); a single Redis treats them
 * as one stream.
 */
export const ROUTE_CHANNEL_COUNT = 16;

export class RouteChannels {
  readonly all: readonly string[];

  constructor(prefix: string) {
    this.all = Array.from({ length: ROUTE_CHANNEL_COUNT }, (_, i) => `${prefix}r:${i}`);
  }

  /** The channel for everything keyed by `key` (a conversation id, or a user id for user-scoped frames). */
  for(key: string): string {
    return this.all[fnv1a(key) % ROUTE_CHANNEL_COUNT]!;
  }
}

/** FNV-1a over UTF-16 code units: cheap, and spreads uuids evenly. */
function fnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    hash ^= key.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
