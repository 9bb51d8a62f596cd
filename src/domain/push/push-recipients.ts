/**
 * Who gets a push for a new message (docs/API.md, "Web Push"): every member but the sender who
 * has a subscription, whose notification settings say this message notifies them, and who is
 * not looking at the conversation on any device. The settings and presence are other features'
 * (notification settings, presence): the dispatcher receives them as these three functions.
 */
import type { OutboxMessage, PushRecipient } from '../ports/push-repository.js';

export type NotificationLevel = 'all' | 'mentions' | 'none';

/** A member's settings for one conversation, after defaults (src/domain/notification.policy.ts once it lands). */
export interface EffectiveNotificationSettings {
  level: NotificationLevel;
  muted_until: string | null;
  mention_breaks_mute: boolean;
  previews: boolean;
}

/** What the push queue needs from notification settings and presence. */
export interface PushRecipientDeps {
  /** Each listed member's effective settings in the conversation (a member missing from the map gets the defaults: all, previews on). */
  settingsOf(conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>>;
  /** Whether a message notifies a member with these settings. */
  notifies(settings: EffectiveNotificationSettings, message: { mentionsMe: boolean; mentionsAll: boolean }, now: Date): boolean;
  /** The listed members who have the conversation open and visible on some device right now. */
  viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>>;
}

export const DEFAULT_NOTIFICATION_SETTINGS: EffectiveNotificationSettings = Object.freeze({ level: 'all', muted_until: null, mention_breaks_mute: true, previews: true });

/**
 * Stand-ins until notification settings and presence are wired in (src/push/start-push.ts):
 * everyone is notified of everything, with previews, and nobody is ever viewing.
 */
export const NOTIFY_EVERYONE: PushRecipientDeps = {
  settingsOf: async () => new Map(),
  notifies: () => true,
  viewersOf: async () => new Set(),
};

/** The recipients of one message's push, in the order of `subscribed_member_ids`. */
export async function recipientsOf(message: OutboxMessage, deps: PushRecipientDeps, now: Date): Promise<PushRecipient[]> {
  if (message.gone) return [];
  const candidates = message.subscribed_member_ids.filter((id) => id !== message.sender_id);
  if (candidates.length === 0) return [];
  const [settings, viewers] = await Promise.all([deps.settingsOf(message.conversation_id, candidates), deps.viewersOf(message.conversation_id, candidates)]);
  const direct = message.member_count === 2;
  const recipients: PushRecipient[] = [];
  for (const userId of candidates) {
    if (viewers.has(userId)) continue;
    const mine = settings.get(userId) ?? DEFAULT_NOTIFICATION_SETTINGS;
    const mentionsMe = message.mentions.includes(userId);
    if (!deps.notifies(mine, { mentionsMe, mentionsAll: message.mentions_all }, now)) continue;
    const mention = mentionsMe || message.mentions_all;
    recipients.push({ user_id: userId, mention, urgent: mention || direct, preview: mine.previews });
  }
  return recipients;
}
