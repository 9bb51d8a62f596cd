/**
 * Notification settings of the in-memory Store fake, with the SQL store's rules: defaults are
 * the built-in ones until changed; an override needs membership and is removed when both its
 * fields are null; a change moves the user's user_seq, one that changes nothing does not.
 */
import { BUILT_IN_NOTIFICATION_DEFAULTS, type ConversationNotificationSettings, type NotificationDefaults, type NotificationSettings } from '@pneumatic/protocol';
import type { EffectiveNotificationSettings } from '../../../src/domain/notification.policy.js';
import type { NotificationSettingsChange, NotificationSettingsRepository } from '../../../src/domain/ports/repositories.js';
import type { MemoryTables } from './memory-tables.js';

export class InMemoryNotificationSettingsRepository implements NotificationSettingsRepository {
  constructor(private readonly tables: MemoryTables) {}

  async settingsOf(userId: string): Promise<NotificationSettings> {
    const conversations = [...this.tables.conversationNotifications.values()]
      .filter((o) => o.user_id === userId)
      .map(({ conversation_id, level, muted_until }) => ({ conversation_id, level, muted_until }));
    return { defaults: this.defaults(userId), conversations };
  }

  async conversationOf(userId: string, conversationId: string): Promise<ConversationNotificationSettings> {
    return this.override(userId, conversationId);
  }

  async updateDefaults(userId: string, patch: Partial<NotificationDefaults>): Promise<NotificationSettingsChange<NotificationDefaults>> {
    this.tables.user(userId);
    const current = this.defaults(userId);
    const next: NotificationDefaults = {
      level: patch.level ?? current.level,
      mention_breaks_mute: patch.mention_breaks_mute ?? current.mention_breaks_mute,
      previews: patch.previews ?? current.previews,
    };
    if (next.level === current.level && next.mention_breaks_mute === current.mention_breaks_mute && next.previews === current.previews) {
      return { settings: current, user_seq: null };
    }
    this.tables.notificationDefaults.set(userId, next);
    return { settings: { ...next }, user_seq: this.tables.bumpUserSeq(userId) };
  }

  async setConversation(userId: string, settings: ConversationNotificationSettings): Promise<NotificationSettingsChange<ConversationNotificationSettings> | null> {
    const { conversation_id, level, muted_until } = settings;
    if (!this.tables.member(conversation_id, userId)) return null;
    const current = this.override(userId, conversation_id);
    if (current.level === level && current.muted_until === muted_until) return { settings: current, user_seq: null };
    const key = this.tables.notificationKey(conversation_id, userId);
    if (level === null && muted_until === null) this.tables.conversationNotifications.delete(key);
    else this.tables.conversationNotifications.set(key, { conversation_id, user_id: userId, level, muted_until });
    return { settings: { conversation_id, level, muted_until }, user_seq: this.tables.bumpUserSeq(userId) };
  }

  async effectiveFor(conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>> {
    const effective = new Map<string, EffectiveNotificationSettings>();
    for (const userId of userIds) {
      const defaults = this.defaults(userId);
      const override = this.override(userId, conversationId);
      effective.set(userId, { ...defaults, level: override.level ?? defaults.level, muted_until: override.muted_until });
    }
    return effective;
  }

  private defaults(userId: string): NotificationDefaults {
    return { ...(this.tables.notificationDefaults.get(userId) ?? BUILT_IN_NOTIFICATION_DEFAULTS) };
  }

  private override(userId: string, conversationId: string): ConversationNotificationSettings {
    const row = this.tables.conversationNotifications.get(this.tables.notificationKey(conversationId, userId));
    return { conversation_id: conversationId, level: row?.level ?? null, muted_until: row?.muted_until ?? null };
  }
}
