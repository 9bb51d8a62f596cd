/**
 * The rules of presence (docs/API.md, "Presence"): a user's status from what their devices
 * report, combined over every process holding some of those devices, and what `last_seen_at`
 * says. Plain functions of their inputs and the time: the realtime layer and the shared state
 * (src/presence) apply them.
 */
import type { ActivityState, PresenceStatus } from '@pneumatic/protocol';

export type { ActivityState, PresenceStatus };

/**
 * What one connected device reported, once it has reported anything. A device that never sent
 * an `activity` frame has none (null): a v1 client cannot say it is idle, so it counts as active
 * all along, and as viewing nothing.
 */
export interface DeviceActivity {
  /** When the device last reported its user active (epoch ms). */
  activeAt: number;
  /** The conversation open and visible on the device, or null. */
  viewing: string | null;
}

/** One process's share of a user's presence: its devices of the user, summed up. */
export interface PresenceShare {
  status: 'online' | 'away';
  /** The latest activity of those devices (epoch ms); `now` while one of them counts as active all along. */
  lastActiveAt: number;
  /** Conversations open and visible on at least one of those devices, sorted, without repeats. */
  viewing: readonly string[];
}

/** The share of `devices` (a user's on this process), and when it turns away unless a device reports activity. */
export interface DeviceSummary {
  share: PresenceShare | null;
  /** When an online share turns away by itself (epoch ms); null when it cannot (away, none, or a device that never reported). */
  awayAt: number | null;
}

/** One empty list for every share that views nothing: most do, and each is kept per connected user. */
const NOTHING_VIEWED: readonly string[] = Object.freeze([]);

/** The device after an `activity` frame: `active` moves its activity to now; `idle` keeps the last one. */
export function reportActivity(device: DeviceActivity | null, state: ActivityState, viewing: string | null, now: number): DeviceActivity {
  // A device that never reported counted as active until this frame.
  const activeAt = state === 'active' || device === null ? now : device.activeAt;
  return { activeAt, viewing };
}

/**
 * Online if some device was active within `awayMs` (a device that never reported counts as
 * active now), away if devices are connected but none was, and no share at all without devices.
 */
export function summarizeDevices(devices: Iterable<DeviceActivity | null>, now: number, awayMs: number): DeviceSummary {
  let count = 0;
  let always = false;
  let lastActiveAt = Number.NEGATIVE_INFINITY;
  const viewing = new Set<string>();
  for (const device of devices) {
    count++;
    if (device === null) {
      always = true;
      continue;
    }
    lastActiveAt = Math.max(lastActiveAt, Math.min(device.activeAt, now));
    if (device.viewing !== null) viewing.add(device.viewing);
  }
  if (count === 0) return { share: null, awayAt: null };
  if (always) lastActiveAt = now;
  const online = always || now - lastActiveAt < awayMs;
  const share: PresenceShare = { status: online ? 'online' : 'away', lastActiveAt, viewing: viewing.size === 0 ? NOTHING_VIEWED : [...viewing].sort() };
  return { share, awayAt: online && !always ? lastActiveAt + awayMs : null };
}

/** Whether publishing `next` after `previous` would change what other processes or users can learn. */
export function shareChanged(previous: PresenceShare | null, next: PresenceShare | null): boolean {
  if (previous === null || next === null) return previous !== next;
  if (previous.status !== next.status) return true;
  if (previous.viewing.length !== next.viewing.length) return true;
  return previous.viewing.some((id, i) => id !== next.viewing[i]);
}

const RANK: Record<PresenceStatus, number> = { offline: 0, away: 1, online: 2 };

/** A user's status over every process: online if any share is, away if any share exists, else offline. */
export function combinedStatus(shares: Iterable<Pick<PresenceShare, 'status'>>): PresenceStatus {
  let status: PresenceStatus = 'offline';
  for (const share of shares) if (RANK[share.status] > RANK[status]) status = share.status;
  return status;
}

/**
 * The last moment a user was seen (epoch ms) that a share going away leaves behind: now if it
 * was online (they were here until now), its last activity if it was away.
 */
export function seenAtLeaving(share: PresenceShare | null, now: number): number | null {
  if (share === null) return null;
  return share.status === 'online' ? now : share.lastActiveAt;
}

/**
 * `last_seen_at` as told to clients: now for an online user, the last activity for an away one,
 * and for an offline one the latest of what is known (the shared state's, the database's).
 */
export function lastSeenAt(status: PresenceStatus, seenAt: number | null, stored: number | null, now: number): number | null {
  if (status === 'online') return now;
  if (seenAt === null) return stored;
  return stored === null ? seenAt : Math.max(seenAt, stored);
}
