/** Muting a conversation: the choices of the bell menu, when each ends, and how a mute reads. */
import { MUTED_FOREVER, type ConversationNotifications, type NotificationDefaults, type NotificationLevel } from './notifications-api.js';

export type MuteChoice = '1h' | '8h' | '24h' | 'forever';

const HOUR_MS = 3_600_000;

export const MUTE_CHOICES: ReadonlyArray<{ choice: MuteChoice; label: string }> = [
  { choice: '1h', label: 'For 1 hour' },
  { choice: '8h', label: 'For 8 hours' },
  { choice: '24h', label: 'For 24 hours' },
  { choice: 'forever', label: 'Until I turn it back on' },
];

const DURATION_MS: Record<Exclude<MuteChoice, 'forever'>, number> = { '1h': HOUR_MS, '8h': 8 * HOUR_MS, '24h': 24 * HOUR_MS };

/** The `muted_until` to store for a choice made at `now`. */
export function muteUntil(choice: MuteChoice, now: Date): string {
  return choice === 'forever' ? MUTED_FOREVER : new Date(now.getTime() + DURATION_MS[choice]).toISOString();
}

/** Whether a mute ending at `mutedUntil` still holds at `now` (a date that does not parse is no mute). */
export function isMuted(mutedUntil: string | null | undefined, now: Date): boolean {
  if (!mutedUntil) return false;
  const end = Date.parse(mutedUntil);
  return Number.isFinite(end) && end > now.getTime();
}

/** A mute too far ahead to be a duration someone picked (a year or more): "until I turn it back on". */
export function isIndefinite(mutedUntil: string, now: Date): boolean {
  return Date.parse(mutedUntil) - now.getTime() >= 365 * 24 * HOUR_MS;
}

/** Milliseconds until a mute ends, for a timer that re-renders then; null when not muted or indefinite. */
export function msUntilUnmuted(mutedUntil: string | null | undefined, now: Date): number | null {
  if (!mutedUntil || !isMuted(mutedUntil, now) || isIndefinite(mutedUntil, now)) return null;
  return Date.parse(mutedUntil) - now.getTime();
}

const sameDay = (a: Date, b: Date) => a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

/** "Muted until 14:30", "Muted until tomorrow 09:00", "Muted until Mon 3 Mar 09:00", "Muted"; null when not muted. */
export function mutedLabel(mutedUntil: string | null | undefined, now: Date, locale?: string): string | null {
  if (!mutedUntil || !isMuted(mutedUntil, now)) return null;
  if (isIndefinite(mutedUntil, now)) return 'Muted';
  const end = new Date(mutedUntil);
  const time = end.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
  if (sameDay(end, now)) return `Muted until ${time}`;
  const tomorrow = new Date(now);
  tomorrow.setDate(now.getDate() + 1);
  if (sameDay(end, tomorrow)) return `Muted until tomorrow ${time}`;
  return `Muted until ${end.toLocaleDateString(locale, { weekday: 'short', day: 'numeric', month: 'short' })} ${time}`;
}

export const LEVEL_LABELS: Record<NotificationLevel, string> = { all: 'All messages', mentions: 'Mentions only', none: 'Nothing' };

/** The level that applies to a conversation: its own, else the user's default. */
export function effectiveLevel(setting: ConversationNotifications | null | undefined, defaults: NotificationDefaults | null | undefined): NotificationLevel {
  return setting?.level ?? defaults?.level ?? 'all';
}
