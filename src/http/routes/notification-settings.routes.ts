import {
  ConversationNotificationSettings,
  NotificationDefaults,
  NotificationSettings,
  SetConversationNotifications,
  UpdateNotificationDefaults,
} from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Notification settings (docs/API.md, "Notification settings"): the caller's own, never
 * another user's. A change reaches the caller's other devices as a `notification_settings`
 * frame. What notifies is src/domain/notification.policy.ts.
 */
export const notificationSettingsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['notifications'];

  app.get(
    '/notification-settings',
    {
      schema: {
        tags,
        summary: 'Your notification defaults and every conversation you gave settings of its own',
        response: responses({ 200: NotificationSettings }),
      },
    },
    async (request) => services.notificationSettings.settings(principalOf(request).user.id),
  );

  app.patch(
    '/notification-settings',
    {
      schema: {
        tags,
        summary: 'Change your notification defaults: any of level, mention_breaks_mute and previews',
        body: UpdateNotificationDefaults,
        response: responses({ 200: NotificationDefaults }),
      },
    },
    async (request) => services.notificationSettings.updateDefaults(principalOf(request).user.id, request.body),
  );

  app.get(
    '/conversations/:id/notification-settings',
    {
      schema: {
        tags,
        summary: 'Your notification settings of the conversation (level null: your default; muted_until null: not muted)',
        params: schemas.ConversationParams,
        response: responses({ 200: ConversationNotificationSettings }),
      },
    },
    async (request) => services.notificationSettings.conversation(principalOf(request).user.id, request.params.id),
  );

  app.put(
    '/conversations/:id/notification-settings',
    {
      schema: {
        tags,
        summary: 'Set your notification level and mute for the conversation (members only)',
        params: schemas.ConversationParams,
        body: SetConversationNotifications,
        response: responses({ 200: ConversationNotificationSettings }),
      },
    },
    async (request) => services.notificationSettings.setConversation(principalOf(request).user.id, request.params.id, request.body),
  );
};
