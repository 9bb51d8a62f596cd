/**
 * The shared presence state of several processes, in Redis (docs/architecture.md, "Presence").
 * Per user, one hash: each process's share, the last frame sent, the last-seen moment; one Lua
 * script (redis-presence-script.ts) replaces a share and applies the coalescing rule in one
 * step, so one frame goes out per change whichever process saw it. Per conversation, a set of
 * the users (and processes) whose devices view it, for `viewersOf`. A process that dies leaves
 * its shares behind; ProcessLiveness finds it and a survivor withdraws them here.
 *
 * Commands fail fast while Redis is away (no offline queue); a failure marks the shares
 * incomplete, and once a heartbeat reaches Redis again the tracker publishes them all again.
 */
import type { Cluster, Redis } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import { AppError } from '../domain/errors.js';
import type { PresenceShare, PresenceStatus } from '../domain/presence.js';
import type { CoalescingDecision } from '../domain/presence-coalescing.js';
import type { LivePresence, PresenceDirectory, PublishOutcome } from '../domain/ports/presence.js';
import { ProcessLiveness } from './process-liveness.js';
import { decodeShare, encodeShare, PresenceKeys, viewerMember } from './redis-presence-keys.js';
import { PRESENCE_PUBLISH_LUA } from './redis-presence-script.js';

type PresenceRedis = (Redis | Cluster) & {
  presencePublish(key: string, processId: string, share: string, seenAt: string, now: string, windowMs: string, idleTtlMs: string): Promise<[string, string, string, string]>;
};

/** Users of a dead process withdrawn at once. */
const WITHDRAW_CONCURRENCY = 32;
/** How long a hash without shares stays: its last frame and last-seen moment, past any hold. */
const IDLE_TTL_EXTRA_MS = 60_000;

export interface RedisPresenceOptions {
  prefix: string;
  processId: string;
  windowMs: number;
  heartbeatMs: number;
  log: FastifyBaseLogger;
}

export class RedisPresenceDirectory implements PresenceDirectory {
  private readonly redis: PresenceRedis;
  private readonly keys: PresenceKeys;
  private readonly liveness: ProcessLiveness;
  private outcomeHandler: (userId: string, outcome: PublishOutcome) => void = () => {};
  private lostHandler: () => void = () => {};
  /** A command failed since the shares were last all published. */
  private incomplete = false;

  constructor(
    redis: Redis | Cluster,
    private readonly options: RedisPresenceOptions,
  ) {
    if (!('presencePublish' in redis)) redis.defineCommand('presencePublish', { numberOfKeys: 1, lua: PRESENCE_PUBLISH_LUA });
    this.redis = redis as PresenceRedis;
    this.keys = new PresenceKeys(options.prefix);
    this.liveness = new ProcessLiveness({
      redis,
      keys: this.keys,
      processId: options.processId,
      heartbeatMs: options.heartbeatMs,
      withdraw: (processId, lastBeat) => this.withdrawAll(processId, lastBeat),
      lost: () => this.lost(),
      beaten: () => {
        if (!this.incomplete) return;
        this.incomplete = false;
        this.lostHandler();
      },
      failed: (error) => this.failed(error),
    });
  }

  onOutcome(handler: (userId: string, outcome: PublishOutcome) => void): void {
    this.outcomeHandler = handler;
  }

  onSharesLost(handler: () => void): void {
    this.lostHandler = handler;
  }

  start(): void {
    this.liveness.start();
  }

  async publish(userId: string, previous: PresenceShare | null, next: PresenceShare | null, seenAt: number | null, now: number): Promise<PublishOutcome> {
    const { processId } = this.options;
    try {
      const viewing = this.moveViewing(userId, previous?.viewing ?? [], next?.viewing ?? []);
      const membership =
        next === null ? this.redis.srem(this.keys.processUsers(processId), userId) : previous === null ? this.redis.sadd(this.keys.processUsers(processId), userId) : null;
      // One Promise.all over the three, so a failure of any (Redis down) is handled: awaiting the
      // script first left the other two to reject unobserved, which ends the process.
      const [outcome] = await Promise.all([this.run(userId, processId, next === null ? '' : encodeShare(next), seenAt, now), viewing, membership]);
      return outcome;
    } catch (error) {
      this.failed(error);
      throw error;
    }
  }

  async recheck(userId: string, now: number): Promise<PublishOutcome> {
    return this.run(userId, this.options.processId, '=', null, now);
  }

  async read(userIds: readonly string[]): Promise<Map<string, LivePresence>> {
    const hashes = await Promise.all(userIds.map((id) => this.redis.hgetall(this.keys.user(id)))).catch(unavailable);
    const found = new Map<string, LivePresence>();
    userIds.forEach((id, i) => {
      const hash = hashes[i]!;
      let status: PresenceStatus = 'offline';
      for (const [field, value] of Object.entries(hash)) {
        if (field.startsWith('~')) continue;
        if (value.startsWith('o')) status = 'online';
        else if (status === 'offline') status = 'away';
      }
      const seen = hash['~t'];
      if (status !== 'offline' || seen !== undefined) found.set(id, { status, seenAt: seen === undefined ? null : Number(seen) });
    });
    return found;
  }

  /**
   * While Redis cannot be read, nobody counts as viewing: a push then goes out that a device on
   * screen would have made unnecessary, rather than pushes stalling with Redis.
   */
  async viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>> {
    const members = await this.redis.smembers(this.keys.viewing(conversationId)).catch((error: unknown) => {
      this.options.log.debug({ err: error }, 'presence: could not read who views a conversation; counting nobody');
      return [] as string[];
    });
    const viewing = new Set(members.map((member) => member.slice(0, member.lastIndexOf('/'))));
    return new Set(userIds.filter((id) => viewing.has(id)));
  }

  /**
   * Stops the heartbeat and lets this process's entry lapse one interval later, shares left in
   * place: a survivor then withdraws those of users who did not reconnect elsewhere (see
   * ProcessLiveness.stop).
   */
  async close(): Promise<void> {
    await this.liveness.stop(this.options.heartbeatMs);
  }

  private async run(userId: string, processId: string, share: string, seenAt: number | null, now: number): Promise<PublishOutcome> {
    const { windowMs } = this.options;
    const [decision, status, seen, until] = await this.redis.presencePublish(
      this.keys.user(userId),
      processId,
      share,
      seenAt === null ? '' : String(Math.floor(seenAt)),
      String(Math.floor(now)),
      String(windowMs),
      String(windowMs + IDLE_TTL_EXTRA_MS),
    );
    return { status: status as PresenceStatus, seenAt: seen === '' ? null : Number(seen), decision: toDecision(decision, until) };
  }

  private moveViewing(userId: string, before: readonly string[], after: readonly string[]): Promise<unknown> {
    const member = viewerMember(userId, this.options.processId);
    const removed = before.filter((id) => !after.includes(id)).map((id) => this.redis.srem(this.keys.viewing(id), member));
    const added = after.filter((id) => !before.includes(id)).map((id) => this.redis.sadd(this.keys.viewing(id), member));
    return Promise.all([...removed, ...added]);
  }

  /** Withdraws every share of a dead process, a batch of users at a time, reporting each outcome. */
  private async withdrawAll(processId: string, lastBeat: number): Promise<void> {
    const setKey = this.keys.processUsers(processId);
    let cursor = '0';
    do {
      const [next, userIds] = await this.redis.sscan(setKey, cursor, 'COUNT', 200);
      cursor = next;
      for (let i = 0; i < userIds.length; i += WITHDRAW_CONCURRENCY) {
        await Promise.all(userIds.slice(i, i + WITHDRAW_CONCURRENCY).map((id) => this.withdraw(id, processId, lastBeat)));
      }
    } while (cursor !== '0');
    this.options.log.info({ process: processId }, 'presence: withdrew the shares of a process that stopped beating');
  }

  private async withdraw(userId: string, processId: string, lastBeat: number): Promise<void> {
    const text = await this.redis.hget(this.keys.user(userId), processId);
    const share = text === null ? null : decodeShare(text);
    if (share) await Promise.all(share.viewing.map((id) => this.redis.srem(this.keys.viewing(id), viewerMember(userId, processId))));
    // Online until it stopped beating; away since its last activity.
    const seenAt = share === null ? null : share.status === 'online' ? Math.max(share.lastActiveAt, lastBeat) : share.lastActiveAt;
    const outcome = await this.run(userId, processId, '', seenAt, Date.now());
    this.outcomeHandler(userId, outcome);
  }

  private lost(): void {
    this.options.log.warn('presence: this process was taken for dead or Redis lost its state; publishing every share again');
    this.lostHandler();
  }

  private failed(error: unknown): void {
    if (!this.incomplete) this.options.log.debug({ err: error }, 'presence: a redis command failed; shares will be published again');
    this.incomplete = true;
  }
}

/** Redis away: who is online cannot be told now (503, retry shortly), rather than a 500. */
function unavailable(): never {
  throw new AppError('unavailable', 'Presence is unavailable right now; retry shortly.');
}

function toDecision(kind: string, until: string): CoalescingDecision {
  if (kind === 'send') return { kind: 'send' };
  if (kind === 'hold') return { kind: 'hold', until: Number(until) };
  return { kind: 'none' };
}
