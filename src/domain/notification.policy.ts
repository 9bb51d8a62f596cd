/**
 * What notifies whom (docs/API.md, "Notification settings"). Notifying is push and sounds only:
 * unread counts and unread_mentions count the same whatever the settings say.
 *
 * The rules, for a new message from someone else:
 * - `none` never notifies, mentions included: the user asked for silence in so many words.
 * - A mute (`muted_until` in the future) is a temporary `none`, except that with
 *   `mention_breaks_mute` a message naming the user (`@username`) still notifies. `@all` does
 *   not break a mute: a busy conversation's `@all` is the very noise a mute is for.
 * - Otherwise `all` notifies every message, and `mentions` those naming the user or `@all`
 *   (everyone is mentioned, so each member is).
 */
import { MUTED_FOREVER } from '@pneumatic/protocol';

export type NotificationLevel = 'all' | 'mentions' | 'none';

export interface EffectiveNotificationSettings {
  level: NotificationLevel;
  muted_until: string | null;
  mention_breaks_mute: boolean;
  previews: boolean;
}

/** Whether a new message should notify this user (push, sounds). Unread counts are unaffected. */
export function notifies(settings: EffectiveNotificationSettings, message: { mentionsMe: boolean; mentionsAll: boolean }, now: Date): boolean {
  if (settings.level === 'none') return false;
  if (isMuted(settings.muted_until, now)) return settings.mention_breaks_mute && message.mentionsMe;
  return settings.level === 'all' || message.mentionsMe || message.mentionsAll;
}

/** A mute holds until `muted_until`, exclusive; null or a past instant is no mute. */
export function isMuted(mutedUntil: string | null, now: Date): boolean {
  return mutedUntil !== null && Date.parse(mutedUntil) > now.getTime();
}

/**
 * The instant a mute is stored as: canonical ISO 8601 UTC with milliseconds, null for "not
 * muted" (null, or an instant not after `now`), and at most MUTED_FOREVER ("until unmuted"),
 * which a time zone offset on its last day could otherwise pass. `value` is a date-time that
 * Date.parse reads (the service refuses one it cannot, such as a leap second).
 */
export function muteInstant(value: string | null, now: Date): string | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  if (ms <= now.getTime()) return null;
  return ms >= Date.parse(MUTED_FOREVER) ? MUTED_FOREVER : new Date(ms).toISOString();
}
