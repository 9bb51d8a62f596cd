/**
 * The shared presence state of a single process (no Redis): every device is here, so the
 * process's share of a user is the whole of it. The same rules as the Redis directory
 * (redis-presence-directory.ts), which test/presence/presence-directory-contract.test.ts holds
 * both to.
 */
import { decideFrame, type SentPresence } from '../domain/presence-coalescing.js';
import { combinedStatus, type PresenceShare } from '../domain/presence.js';
import type { LivePresence, PresenceDirectory, PublishOutcome } from '../domain/ports/presence.js';

interface UserEntry {
  share: PresenceShare | null;
  sent: SentPresence | null;
  seenAt: number | null;
}

export class MemoryPresenceDirectory implements PresenceDirectory {
  private readonly users = new Map<string, UserEntry>();
  /** conversation → users with a device viewing it. */
  private readonly viewers = new Map<string, Set<string>>();
  /** Users gone offline, by when their entry may be forgotten (epoch ms), oldest first. */
  private readonly leaving = new Map<string, number>();

  constructor(private readonly windowMs: number) {}

  async publish(userId: string, previous: PresenceShare | null, next: PresenceShare | null, seenAt: number | null, now: number): Promise<PublishOutcome> {
    this.moveViewing(userId, previous?.viewing ?? [], next?.viewing ?? []);
    const entry = this.users.get(userId) ?? { share: null, sent: null, seenAt: null };
    entry.share = next;
    if (seenAt !== null && (entry.seenAt === null || seenAt > entry.seenAt)) entry.seenAt = seenAt;
    this.users.set(userId, entry);
    return this.decide(userId, entry, now);
  }

  async recheck(userId: string, now: number): Promise<PublishOutcome> {
    const entry = this.users.get(userId);
    if (!entry) return { status: 'offline', seenAt: null, decision: { kind: 'none' } };
    return this.decide(userId, entry, now);
  }

  async read(userIds: readonly string[]): Promise<Map<string, LivePresence>> {
    const found = new Map<string, LivePresence>();
    for (const id of userIds) {
      const entry = this.users.get(id);
      if (entry) found.set(id, { status: combinedStatus(entry.share ? [entry.share] : []), seenAt: entry.seenAt });
    }
    return found;
  }

  async viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>> {
    const viewing = this.viewers.get(conversationId);
    return new Set(viewing ? userIds.filter((id) => viewing.has(id)) : []);
  }

  /** Every change is this process's own: nothing to report. */
  onOutcome(): void {}

  /** Memory is not lost while the process lives. */
  onSharesLost(): void {}

  start(): void {}

  /** Nothing outlives the process: its users are offline with it. */
  async close(): Promise<void> {
    this.users.clear();
    this.viewers.clear();
  }

  private decide(userId: string, entry: UserEntry, now: number): PublishOutcome {
    const status = combinedStatus(entry.share ? [entry.share] : []);
    const decision = decideFrame(entry.sent, status, now, this.windowMs);
    if (decision.kind === 'send') entry.sent = { status, at: now };
    this.leaving.delete(userId);
    if (entry.share === null) this.leaving.set(userId, (entry.sent?.at ?? now) + this.windowMs);
    this.forgetLeft(now);
    return { status, seenAt: entry.seenAt, decision };
  }

  /**
   * Forgets users offline for a window whose offline frame went out (or none was needed): the
   * database keeps their last_seen_at, so an idle process keeps only users who were here lately.
   */
  private forgetLeft(now: number): void {
    for (const [id, forgetAt] of this.leaving) {
      if (forgetAt > now) return;
      this.leaving.delete(id);
      const entry = this.users.get(id);
      if (entry && entry.share === null && (entry.sent?.status ?? 'offline') === 'offline') this.users.delete(id);
    }
  }

  private moveViewing(userId: string, before: readonly string[], after: readonly string[]): void {
    for (const id of before) {
      if (after.includes(id)) continue;
      const set = this.viewers.get(id);
      set?.delete(userId);
      if (set?.size === 0) this.viewers.delete(id);
    }
    for (const id of after) {
      if (before.includes(id)) continue;
      const set = this.viewers.get(id);
      if (set) set.add(userId);
      else this.viewers.set(id, new Set([userId]));
    }
  }
}
