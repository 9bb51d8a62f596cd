/**
 * When a presence frame goes out (docs/API.md, "Presence"): at most one per user per window,
 * the latest status winning. A change within the window after a frame is held until the
 * window ends; if by then the status is back to what was last sent (online → offline → online
 * while a page reloads), nothing is sent at all. The shared state (memory or Redis) applies
 * this rule atomically per user, so with several processes one frame goes out per change, from
 * whichever process saw it.
 */
import type { PresenceStatus } from './presence.js';

/** The last frame sent about a user: its status and when (epoch ms). None yet: as if `offline` was. */
export interface SentPresence {
  status: PresenceStatus;
  at: number;
}

export type CoalescingDecision =
  /** Send `status` now (and remember it as sent). */
  | { kind: 'send' }
  /** Ask again at `until` (epoch ms): a frame went out less than a window ago. */
  | { kind: 'hold'; until: number }
  /** Nothing to say: the status is what was last sent. */
  | { kind: 'none' };

export function decideFrame(lastSent: SentPresence | null, status: PresenceStatus, now: number, windowMs: number): CoalescingDecision {
  if ((lastSent?.status ?? 'offline') === status) return { kind: 'none' };
  if (lastSent !== null && now - lastSent.at < windowMs) return { kind: 'hold', until: lastSent.at + windowMs };
  return { kind: 'send' };
}
