/**
 * Notification settings in storage (docs/API.md, "Notification settings"). A change is
 * user-scoped: it moves the user's user_seq in its own transaction, so every device of the user
 * can tell it missed one. A change that changes nothing takes no user_seq.
 */
import type { ConversationNotificationSettings, NotificationDefaults, NotificationSettings } from '@pneumatic/protocol';
import type { EffectiveNotificationSettings } from '../notification.policy.js';

/** What a change left: the settings as stored now, and the user's new user_seq (null: nothing changed). */
export interface NotificationSettingsChange<T> {
  settings: T;
  user_seq: number | null;
}

export interface NotificationSettingsRepository {
  /** The user's defaults (the built-in ones until changed) and every conversation override they have. */
  settingsOf(userId: string): Promise<NotificationSettings>;
  /** The user's override in the conversation; level and muted_until null when there is none. */
  conversationOf(userId: string, conversationId: string): Promise<ConversationNotificationSettings>;
  /** Sets the given defaults, keeping the others. */
  updateDefaults(userId: string, patch: Partial<NotificationDefaults>): Promise<NotificationSettingsChange<NotificationDefaults>>;
  /**
   * Sets the user's override in the conversation (both null: removes it). Null when the user is
   * not a member, checked in the same transaction: a member who left meanwhile keeps no row
   * (leaving removes the override, in the removal's transaction).
   */
  setConversation(userId: string, settings: ConversationNotificationSettings): Promise<NotificationSettingsChange<ConversationNotificationSettings> | null>;
  /** Effective settings of each given user for the conversation (override, else the user's default, else the built-in default). */
  effectiveFor(conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>>;
}
