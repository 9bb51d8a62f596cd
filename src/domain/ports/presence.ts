/**
 * Presence's ports (docs/API.md, "Presence"; docs/architecture.md, "Presence"). The live state
 * is shared by every process (src/presence: in memory for one process, Redis for several); the
 * database keeps only `last_seen_at` and answers who shares a conversation with whom.
 */
import type { CoalescingDecision } from '../presence-coalescing.js';
import type { PresenceShare, PresenceStatus } from '../presence.js';

export interface ViewingReader {
  /** Those of userIds with a connected device (on any process) reporting conversationId open and visible now. */
  viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>>;
}

/** A user's presence as told to clients. */
export interface PresenceView {
  status: PresenceStatus;
  /** ISO time; null for a user never seen. */
  last_seen_at: string | null;
}

export interface PresenceReader {
  /**
   * The presence of each of `userIds` (every one of them gets an entry; an unknown id is
   * offline, never seen). No visibility check: callers that answer a user apply
   * `visiblePresence` (presence.policy.ts) first.
   */
  statusOf(userIds: readonly string[]): Promise<Map<string, PresenceView>>;
}

/** What the shared state knows of a user now. */
export interface LivePresence {
  status: PresenceStatus;
  /** The latest moment the user was seen that the shared state keeps (epoch ms), or null. */
  seenAt: number | null;
}

/** The outcome of a publish: the user's status over every process, and whether a frame goes out. */
export interface PublishOutcome extends LivePresence {
  decision: CoalescingDecision;
}

/**
 * The live presence every process shares. Each process publishes its share of each user (what
 * its devices of that user sum up to, `summarizeDevices`); the directory combines the shares
 * and applies the coalescing rule (`decideFrame`) atomically per user, so that one process,
 * whichever saw the change, sends the frame.
 */
export interface PresenceDirectory extends ViewingReader {
  /**
   * Replaces this process's share of the user (`previous` is what it published last; null:
   * none). `seenAt` (epoch ms) raises the user's last-seen moment.
   */
  publish(userId: string, previous: PresenceShare | null, next: PresenceShare | null, seenAt: number | null, now: number): Promise<PublishOutcome>;
  /** Applies the coalescing rule again, for a change that was held: whether its frame goes out now. */
  recheck(userId: string, now: number): Promise<PublishOutcome>;
  read(userIds: readonly string[]): Promise<Map<string, LivePresence>>;
  /** Outcomes of changes no publish of this process made (with Redis: the shares of a dead process, withdrawn here). */
  onOutcome(handler: (userId: string, outcome: PublishOutcome) => void): void;
  /** Called when this process's shares may be missing from the shared state (with Redis: lost, or a write failed): publish them all again. */
  onSharesLost(handler: () => void): void;
  /** Starts the shared upkeep (Redis: this process's heartbeat, and claiming dead processes' shares). */
  start(): void;
  /** Withdraws what this process published and stops the upkeep. */
  close(): Promise<void>;
}

/** Storage's part: memberships in common, and the last-seen time kept across restarts. */
export interface PresenceRepository {
  /** Those of `otherIds` who share at least one conversation with `userId`. */
  sharingConversation(userId: string, otherIds: readonly string[]): Promise<Set<string>>;
  /** `users.last_seen_at` of those of `userIds` that have one (epoch ms). */
  lastSeen(userIds: readonly string[]): Promise<Map<string, number>>;
  /** Raises `users.last_seen_at` to each entry's time (epoch ms); never lowers it. */
  recordLastSeen(entries: ReadonlyMap<string, number>): Promise<void>;
}
