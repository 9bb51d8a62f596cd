/**
 * Builds presence for buildApp: the shared directory (in memory for one process, Redis for
 * several), the audience of frames, the last-seen writer and this process's tracker.
 */
import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { EventBus } from '../bus/event-bus.js';
import type { Config } from '../config/config.js';
import type { PresenceDirectory } from '../domain/ports/presence.js';
import type { Store } from '../domain/ports/repositories.js';
import type { RedisClients } from '../redis/redis-clients.js';
import type { CacheLink } from '../store/cache/cache-link.js';
import { LastSeenWriter } from './last-seen-writer.js';
import { MemoryPresenceDirectory } from './memory-presence-directory.js';
import { PresenceAudience } from './presence-audience.js';
import { PresenceTracker, type PresenceDevice } from './presence-tracker.js';
import { RedisPresenceDirectory } from './redis-presence-directory.js';

export interface Presence {
  /** The shared live state; also the ViewingReader the push dispatcher is given. */
  directory: PresenceDirectory;
  tracker: PresenceTracker;
}

export function createDirectory(config: Config, redis: RedisClients | null, log: FastifyBaseLogger): PresenceDirectory {
  const windowMs = config.PRESENCE_COALESCE_SECONDS * 1000;
  if (redis === null) return new MemoryPresenceDirectory(windowMs);
  return new RedisPresenceDirectory(redis.commands, {
    prefix: config.REDIS_KEY_PREFIX,
    processId: randomUUID(),
    windowMs,
    heartbeatMs: config.WS_HEARTBEAT_MS,
    log,
  });
}

export interface TrackerParts {
  config: Config;
  store: Store;
  bus: EventBus;
  events: DomainEventHub;
  cacheLink: CacheLink | null;
  devicesOf: (userId: string) => Iterable<PresenceDevice> | undefined;
  log: FastifyBaseLogger;
}

export function createTracker(directory: PresenceDirectory, parts: TrackerParts): PresenceTracker {
  const { config, store, bus, log } = parts;
  const audience = new PresenceAudience(store.conversations, parts.cacheLink);
  parts.events.subscribe((event) => audience.noteEvent(event));
  return new PresenceTracker({
    devicesOf: parts.devicesOf,
    directory,
    audienceOf: (userId) => audience.of(userId),
    send: (userIds, text) => bus.send({ kind: 'frame', userIds, text, order: null }),
    lastSeen: new LastSeenWriter(store.presence, log),
    awayMs: config.PRESENCE_AWAY_SECONDS * 1000,
    windowMs: config.PRESENCE_COALESCE_SECONDS * 1000,
    log,
  });
}
