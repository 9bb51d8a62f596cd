/**
 * A user's notification settings (docs/API.md, "Notification settings"): defaults for every
 * conversation, and per conversation a level and a mute. Only the user reads or changes their
 * own; a conversation's settings need its membership (conversation.policy.ts), as every route
 * of a conversation does. Each change reaches the user's other devices as a user-scoped event;
 * what notifies is notification.policy.ts.
 */
import type { ConversationNotificationSettings, NotificationDefaults, NotificationSettings, SetConversationNotifications, UpdateNotificationDefaults } from '@pneumatic/protocol';
import { requireMembership } from './conversation.policy.js';
import { AppError, notMember } from './errors.js';
import { muteInstant } from './notification.policy.js';
import type { EventPublisher } from './ports/events.js';
import type { Store } from './ports/repositories.js';

export interface NotificationSettingsServiceDeps {
  store: Store;
  events: EventPublisher;
  /** The clock a mute is compared with; the wall clock unless a unit test says otherwise. */
  now?: () => Date;
}

export class NotificationSettingsService {
  private readonly now: () => Date;

  constructor(private readonly deps: NotificationSettingsServiceDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** The caller's defaults and every override they have. */
  settings(callerId: string): Promise<NotificationSettings> {
    return this.deps.store.notificationSettings.settingsOf(callerId);
  }

  /** Sets the defaults given, keeps the others; a change reaches the caller's other devices. */
  async updateDefaults(callerId: string, patch: UpdateNotificationDefaults): Promise<NotificationDefaults> {
    const change = await this.deps.store.notificationSettings.updateDefaults(callerId, patch);
    if (change.user_seq !== null) {
      this.deps.events.publish({ type: 'notification_settings.changed', user_id: callerId, user_seq: change.user_seq, defaults: change.settings });
    }
    return change.settings;
  }

  /** The caller's override in the conversation (level and muted_until null: none). */
  async conversation(callerId: string, conversationId: string): Promise<ConversationNotificationSettings> {
    await requireMembership(this.deps.store, conversationId, callerId);
    return this.deps.store.notificationSettings.conversationOf(callerId, conversationId);
  }

  /**
   * Sets the caller's override in the conversation: `muted_until` is stored canonical, a past
   * instant as null (not muted) and anything later than MUTED_FOREVER as it.
   */
  async setConversation(callerId: string, conversationId: string, body: SetConversationNotifications): Promise<ConversationNotificationSettings> {
    await requireMembership(this.deps.store, conversationId, callerId);
    if (body.muted_until !== null && Number.isNaN(Date.parse(body.muted_until))) {
      // The schema's date-time admits a leap second (…T23:59:60Z), which no clock here can compare.
      throw new AppError('invalid_request', 'body.muted_until: must be an instant (a leap second is not accepted)', {
        errors: [{ pointer: '/muted_until', detail: 'must be an instant (a leap second is not accepted)' }],
      });
    }
    const settings = { conversation_id: conversationId, level: body.level, muted_until: muteInstant(body.muted_until, this.now()) };
    const change = await this.deps.store.notificationSettings.setConversation(callerId, settings);
    // Left between the check and the write.
    if (!change) throw notMember();
    if (change.user_seq !== null) {
      this.deps.events.publish({ type: 'notification_settings.changed', user_id: callerId, user_seq: change.user_seq, conversation: change.settings });
    }
    return change.settings;
  }
}
