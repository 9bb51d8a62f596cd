/**
 * Which processes are alive, for presence with several processes (docs/architecture.md,
 * "Presence"). Each process keeps its entry in one sorted set fresh (score: until when it
 * counts as alive, one heartbeat interval ahead, refreshed four times an interval) and sweeps
 * the set as often: an entry past its score is a process that died without withdrawing its
 * shares (SIGKILL, a crash, a lost machine). One survivor claims it (SET NX with an expiry, so
 * a claimer that dies too is replaced) and withdraws its shares, sending the frames that
 * follow. So a dead process's users are offline for everyone within 1.25 heartbeat intervals
 * plus the claim's work, inside the two intervals the issue allows.
 */
import type { Cluster, Redis } from 'ioredis';
import type { PresenceKeys } from './redis-presence-keys.js';

/** Refreshes and sweeps per heartbeat interval. */
const BEATS_PER_INTERVAL = 4;
/** Dead processes claimed per sweep. */
const CLAIMS_PER_SWEEP = 16;

export interface LivenessDeps {
  redis: Redis | Cluster;
  keys: PresenceKeys;
  processId: string;
  heartbeatMs: number;
  /** Withdraws a dead process's shares; `lastBeat` is when it was last known alive (epoch ms). */
  withdraw: (processId: string, lastBeat: number) => Promise<void>;
  /** This process's entry was gone (Redis restarted, or others took it for dead): its shares must be published again. */
  lost: () => void;
  /** A heartbeat reached Redis. */
  beaten: () => void;
  /** A Redis command failed: what was published may be incomplete. */
  failed: (error: unknown) => void;
}

export class ProcessLiveness {
  private timer: NodeJS.Timeout | null = null;
  private registered = false;
  private sweeping = false;

  constructor(private readonly deps: LivenessDeps) {}

  start(): void {
    void this.tick();
    this.timer = setInterval(() => void this.tick(), Math.max(50, Math.floor(this.deps.heartbeatMs / BEATS_PER_INTERVAL)));
    this.timer.unref();
  }

  /**
   * Stops beating and leaves the entry to expire after `graceMs`: clients of a process shutting
   * down reconnect elsewhere meanwhile, so when a survivor withdraws its shares, users who came
   * back stay online without a flap, and the others go offline.
   */
  async stop(graceMs: number): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const { redis, keys, processId } = this.deps;
    await redis.zadd(keys.processes(), Date.now() + graceMs, processId).catch(() => {});
  }

  private async tick(): Promise<void> {
    await this.beat();
    if (this.sweeping) return;
    this.sweeping = true;
    try {
      await this.sweep();
    } catch (error) {
      this.deps.failed(error);
    } finally {
      this.sweeping = false;
    }
  }

  private async beat(): Promise<void> {
    const { redis, keys, processId, heartbeatMs } = this.deps;
    try {
      const added = await redis.zadd(keys.processes(), Date.now() + heartbeatMs, processId);
      if (added === 1 && this.registered) this.deps.lost();
      this.registered = true;
      this.deps.beaten();
    } catch (error) {
      this.deps.failed(error);
    }
  }

  private async sweep(): Promise<void> {
    const { redis, keys, processId, heartbeatMs } = this.deps;
    const expired = await redis.zrangebyscore(keys.processes(), '-inf', Date.now(), 'WITHSCORES', 'LIMIT', 0, CLAIMS_PER_SWEEP);
    for (let i = 0; i + 1 < expired.length; i += 2) {
      const dead = expired[i]!;
      if (dead === processId) continue;
      // Held a while longer than a withdrawal should take; a claimer that dies lets another try.
      const claimed = await redis.set(keys.claim(dead), processId, 'PX', heartbeatMs * 4, 'NX');
      if (claimed !== 'OK') continue;
      await this.deps.withdraw(dead, Number(expired[i + 1]) - heartbeatMs);
      await redis.zrem(keys.processes(), dead);
      await redis.del(keys.processUsers(dead));
    }
  }
}
