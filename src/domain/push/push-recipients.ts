/**
 * Who gets a push for a new message (docs/API.md, "Web Push"): every member but the sender who
 * has a subscription, whose notification settings say this message notifies them, and who is
 * not looking at the conversation on any device. The settings and presence are other features'
 * (notification settings, presence): the dispatcher receives them as these three functions.
 */
import { BUILT_IN_NOTIFICATION_DEFAULTS } from '@pneumatic/protocol';
import { notifies, type EffectiveNotificationSettings } from '../notification.policy.js';
import type { NotificationSettingsRepository } from '../ports/notification-settings-repository.js';
import type { ViewingReader } from '../ports/presence.js';
import type { OutboxMessage, PushRecipient } from '../ports/push-repository.js';

export type { EffectiveNotificationSettings, NotificationLevel } from '../notification.policy.js';

/** What the push queue needs from notification settings and presence. */
export interface PushRecipientDeps {
  /** Each listed member's effective settings in the conversation (a member missing from the map gets the defaults: all, previews on). */
  settingsOf(conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>>;
  /** Whether a message notifies a member with these settings. */
  notifies(settings: EffectiveNotificationSettings, message: { mentionsMe: boolean; mentionsAll: boolean }, now: Date): boolean;
  /** The listed members who have the conversation open and visible on some device right now. */
  viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>>;
}

/** A member the settings store did not answer for: the built-in defaults. */
export const DEFAULT_NOTIFICATION_SETTINGS: EffectiveNotificationSettings = Object.freeze({ ...BUILT_IN_NOTIFICATION_DEFAULTS, muted_until: null });

/** The real thing: each member's notification settings, the notification policy, and presence's view of open conversations. */
export function pushRecipientDeps(settings: Pick<NotificationSettingsRepository, 'effectiveFor'>, viewing: ViewingReader): PushRecipientDeps {
  return {
    settingsOf: (conversationId, userIds) => settings.effectiveFor(conversationId, userIds),
    notifies,
    viewersOf: (conversationId, userIds) => viewing.viewersOf(conversationId, userIds),
  };
}

/** Everyone is notified of everything, with previews, and nobody is ever viewing: unit tests of the queue. */
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
