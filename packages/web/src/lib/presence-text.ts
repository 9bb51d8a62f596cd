/** How presence reads: the words beside a dot ("Online", "Away", "Last seen 5 min ago"). */
import type { Presence } from './notifications-api.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** "just now", "5 min ago", "3 h ago", "yesterday", "4 days ago", else a date. */
export function lastSeenAgo(iso: string, now: Date, locale?: string): string {
  const at = new Date(iso);
  const ms = now.getTime() - at.getTime();
  if (!Number.isFinite(ms) || ms < MINUTE_MS) return 'just now';
  if (ms < HOUR_MS) return `${Math.floor(ms / MINUTE_MS)} min ago`;
  if (ms < DAY_MS) return `${Math.floor(ms / HOUR_MS)} h ago`;
  const days = Math.floor(ms / DAY_MS);
  if (days === 1) return 'yesterday';
  if (days < 7) return `${days} days ago`;
  return `on ${at.toLocaleDateString(locale, { day: 'numeric', month: 'short', ...(at.getFullYear() !== now.getFullYear() ? { year: 'numeric' } : {}) })}`;
}

/** The status in words, as the header shows it (the dot's text alternative too). */
export function presenceLabel(presence: Presence, now: Date, locale?: string): string {
  if (presence.status === 'online') return 'Online';
  if (presence.status === 'away') return 'Away';
  return presence.last_seen_at ? `Last seen ${lastSeenAgo(presence.last_seen_at, now, locale)}` : 'Offline';
}

/** How long until `presenceLabel` may read differently (for a timer); null when it cannot change by itself. */
export function presenceLabelRefreshMs(presence: Presence, now: Date): number | null {
  if (presence.status !== 'offline' || !presence.last_seen_at) return null;
  const ms = now.getTime() - Date.parse(presence.last_seen_at);
  if (!Number.isFinite(ms)) return null;
  if (ms < HOUR_MS) return MINUTE_MS - (Math.max(ms, 0) % MINUTE_MS);
  if (ms < DAY_MS) return HOUR_MS - (ms % HOUR_MS);
  return null;
}
