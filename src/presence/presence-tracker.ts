/**
 * This process's side of presence (docs/architecture.md, "Presence"): what its connected
 * devices report, summed up per user into this process's share (`summarizeDevices`), published
 * to the shared directory when the share changes in a way others see (status, or the
 * conversations viewed); and the frame that follows, one bus message to the user's audience,
 * when the directory says one goes out. Activity that changes nothing others see (an `active`
 * report of a user already online) costs no Redis command and no frame.
 *
 * Per connection it keeps one field (`Connection.device`, null until the device reports); per
 * user with a connection here, one small record. Away deadlines and held frames wait on two
 * shared timers (DeadlineWheel), not a timer per user.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerFrame } from '@pneumatic/protocol';
import { lastSeenAt, reportActivity, seenAtLeaving, shareChanged, summarizeDevices, type ActivityState, type DeviceActivity, type PresenceShare } from '../domain/presence.js';
import type { PresenceDirectory, PublishOutcome } from '../domain/ports/presence.js';
import { DeadlineWheel } from './deadline-wheel.js';
import type { LastSeenWriter } from './last-seen-writer.js';

/** A connected device, as the tracker sees it (realtime/connection.ts). */
export interface PresenceDevice {
  readonly userId: string;
  device: DeviceActivity | null;
}

export interface PresenceTrackerDeps {
  /** The user's connections on this process. */
  devicesOf: (userId: string) => Iterable<PresenceDevice> | undefined;
  directory: PresenceDirectory;
  /** Who hears the user's frames (PresenceAudience). */
  audienceOf: (userId: string) => Promise<string[]>;
  /** Hands a serialized frame to the bus, once for all its recipients. */
  send: (userIds: readonly string[], text: string) => void;
  lastSeen: LastSeenWriter;
  awayMs: number;
  windowMs: number;
  log: Pick<FastifyBaseLogger, 'debug' | 'warn'>;
  now?: () => number;
}

/** How often each online user's last_seen_at is written while they stay online. */
const LAST_SEEN_INTERVAL_MS = 60_000;

interface LocalUser {
  /** The share the directory holds from this process (null: none). */
  published: PresenceShare | null;
  /** A publish is in flight; `again`: the devices changed meanwhile. */
  busy: boolean;
  again: boolean;
  /** The away deadline waiting in the wheel, if any (epoch ms). */
  awayAt: number | null;
  /** The directory may have lost `published`: publish the share again, as new. */
  lost: boolean;
}

export class PresenceTracker {
  private readonly users = new Map<string, LocalUser>();
  private readonly awayWheel: DeadlineWheel;
  private readonly holdWheel: DeadlineWheel;
  private readonly now: () => number;
  private lastSeenTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: PresenceTrackerDeps) {
    this.now = deps.now ?? Date.now;
    this.awayWheel = new DeadlineWheel(clamp(deps.awayMs / 4, 50, 1000), (userId) => this.awayDue(userId), this.now);
    this.holdWheel = new DeadlineWheel(clamp(deps.windowMs / 10, 20, 250), (userId) => this.holdDue(userId), this.now);
    deps.directory.onOutcome((userId, outcome) => this.withdrawn(userId, outcome));
    deps.directory.onSharesLost(() => this.publishAllAgain());
  }

  start(): void {
    this.deps.directory.start();
    this.lastSeenTimer = setInterval(() => this.recordOnline(), LAST_SEEN_INTERVAL_MS);
    this.lastSeenTimer.unref();
  }

  connected(device: PresenceDevice): void {
    this.refresh(device.userId);
  }

  /** Called once the connection has left `devicesOf`. */
  disconnected(device: PresenceDevice): void {
    this.refresh(device.userId);
  }

  /** An `activity` frame, its `viewing` already checked (a conversation the user is a member of). */
  activity(device: PresenceDevice, state: ActivityState, viewing: string | null): void {
    device.device = reportActivity(device.device, state, viewing, this.now());
    this.refresh(device.userId);
  }

  /**
   * Stops publishing: the process is shutting down and its devices are about to disconnect.
   * Their shares stay in the directory until it lets them lapse (Redis: a heartbeat interval
   * later, when a survivor withdraws those of users who did not reconnect elsewhere).
   */
  stopPublishing(): void {
    this.stopped = true;
  }

  async close(): Promise<void> {
    this.stopped = true;
    this.awayWheel.stop();
    this.holdWheel.stop();
    if (this.lastSeenTimer) clearInterval(this.lastSeenTimer);
    const now = this.now();
    for (const [userId, user] of this.users) {
      const seenAt = seenAtLeaving(user.published, now);
      if (seenAt !== null) this.deps.lastSeen.record(userId, seenAt);
    }
    await this.deps.lastSeen.flush();
    await this.deps.directory.close();
  }

  /** Sums up the user's devices here and publishes the share if others would see a change. */
  private refresh(userId: string): void {
    if (this.stopped) return;
    let user = this.users.get(userId);
    if (!user) this.users.set(userId, (user = { published: null, busy: false, again: false, awayAt: null, lost: false }));
    if (user.busy) {
      user.again = true;
      return;
    }
    const now = this.now();
    const devices = this.deps.devicesOf(userId);
    const { share, awayAt } = summarizeDevices(devices ? [...devices].map((d) => d.device) : [], now, this.deps.awayMs);
    if (awayAt !== null && (user.awayAt === null || awayAt < user.awayAt || user.awayAt <= now)) {
      user.awayAt = awayAt;
      this.awayWheel.schedule(userId, awayAt);
    }
    const previous = user.lost ? null : user.published;
    user.lost = false;
    if (!shareChanged(previous, share)) {
      user.published = previous;
      return this.dropIfIdle(userId, user);
    }
    const seenAt = share === null ? seenAtLeaving(previous, now) : share.status === 'online' ? now : share.lastActiveAt;
    if (share === null && seenAt !== null) this.deps.lastSeen.record(userId, seenAt);
    user.busy = true;
    this.deps.directory.publish(userId, previous, share, seenAt, now).then(
      (outcome) => {
        user.published = share;
        this.follow(userId, outcome);
      },
      (error: unknown) => this.deps.log.debug({ err: error, user: userId }, 'presence: publish failed'),
    ).finally(() => {
      user.busy = false;
      if (!user.again) return this.dropIfIdle(userId, user);
      user.again = false;
      this.refresh(userId);
    });
  }

  /** Acts on the directory's decision: send the frame now, or ask again when the hold ends. */
  private follow(userId: string, outcome: PublishOutcome): void {
    const { decision } = outcome;
    if (decision.kind === 'hold') this.holdWheel.schedule(userId, decision.until);
    if (decision.kind !== 'send') return;
    const at = lastSeenAt(outcome.status, outcome.seenAt, null, this.now());
    const frame: ServerFrame = { type: 'presence', user_id: userId, status: outcome.status, last_seen_at: at === null ? null : new Date(at).toISOString() };
    const text = JSON.stringify(frame);
    this.deps.audienceOf(userId).then(
      (audience) => {
        if (audience.length > 0) this.deps.send(audience, text);
      },
      (error: unknown) => this.deps.log.warn({ err: error, user: userId }, 'presence: could not find who hears a presence frame'),
    );
  }

  /** A dead process's share of the user was withdrawn here (Redis): its frame, and the user's last_seen_at. */
  private withdrawn(userId: string, outcome: PublishOutcome): void {
    if (outcome.status === 'offline' && outcome.seenAt !== null) this.deps.lastSeen.record(userId, outcome.seenAt);
    this.follow(userId, outcome);
  }

  private awayDue(userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    user.awayAt = null;
    this.refresh(userId);
  }

  private holdDue(userId: string): void {
    if (this.stopped) return;
    this.deps.directory.recheck(userId, this.now()).then(
      (outcome) => this.follow(userId, outcome),
      (error: unknown) => this.deps.log.debug({ err: error, user: userId }, 'presence: recheck failed'),
    );
  }

  /** The shared state lost this process's shares: every user's is published again, as new. */
  private publishAllAgain(): void {
    for (const [userId, user] of this.users) {
      user.lost = true;
      this.refresh(userId);
    }
  }

  /** Online users' last_seen_at moves once a minute, so a crash leaves it at most that stale. */
  private recordOnline(): void {
    const now = this.now();
    for (const [userId, user] of this.users) if (user.published?.status === 'online') this.deps.lastSeen.record(userId, now);
  }

  private dropIfIdle(userId: string, user: LocalUser): void {
    if (user.busy || user.published !== null || this.deps.devicesOf(userId)) return;
    this.users.delete(userId);
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.floor(value)));
}
