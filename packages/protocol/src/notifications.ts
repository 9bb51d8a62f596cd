/**
 * Notification settings (docs/API.md, "Notification settings"): what notifies a user (push,
 * sounds), per conversation and by default. They change nothing of what counts as unread:
 * `unread_count` and `unread_mentions` count the same whatever is muted.
 */
import { Type, type Static } from 'typebox';
import { Timestamp, Uuid } from './models.js';
import { MUTED_FOREVER } from './notification-defaults.js';

export { BUILT_IN_NOTIFICATION_DEFAULTS, MUTED_FOREVER, NOTIFICATION_LEVELS } from './notification-defaults.js';

/** `all` messages, only those that `mentions` you (by name or `@all`), or `none`. */
export const NotificationLevel = Type.Union([Type.Literal('all'), Type.Literal('mentions'), Type.Literal('none')], {
  title: 'NotificationLevel',
  description: 'all: every message; mentions: those naming you or @all; none: nothing',
});
export type NotificationLevel = Static<typeof NotificationLevel>;

/** A user's settings for every conversation without an override of its own. */
export const NotificationDefaults = Type.Object(
  {
    level: NotificationLevel,
    mention_breaks_mute: Type.Boolean({ description: 'a message naming you (@username, not @all) notifies even in a muted conversation' }),
    previews: Type.Boolean({ description: 'push notifications show the message text (false: only who wrote where)' }),
  },
  { title: 'NotificationDefaults' },
);
export type NotificationDefaults = Static<typeof NotificationDefaults>;

/** A user's override for one conversation. */
export const ConversationNotificationSettings = Type.Object(
  {
    conversation_id: Uuid,
    level: Type.Union([NotificationLevel, Type.Null()], { description: 'null: the default level' }),
    muted_until: Type.Union([Timestamp, Type.Null()], {
      description: `muted (nothing notifies, unless mention_breaks_mute and a message names you) until this instant; null or a past instant: not muted; ${MUTED_FOREVER}: until unmuted`,
    }),
  },
  { title: 'ConversationNotificationSettings' },
);
export type ConversationNotificationSettings = Static<typeof ConversationNotificationSettings>;

/** `GET /notification-settings`, and `notification_settings` in `POST /sync`. */
export const NotificationSettings = Type.Object(
  {
    defaults: NotificationDefaults,
    conversations: Type.Array(ConversationNotificationSettings, { description: 'only conversations with an override (a level or a mute), in no particular order' }),
  },
  { title: 'NotificationSettings' },
);
export type NotificationSettings = Static<typeof NotificationSettings>;

/** `PATCH /notification-settings`: any of the defaults; those left out stay as they are. */
export const UpdateNotificationDefaults = Type.Object(
  {
    level: Type.Optional(NotificationLevel),
    mention_breaks_mute: Type.Optional(Type.Boolean()),
    previews: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type UpdateNotificationDefaults = Static<typeof UpdateNotificationDefaults>;

/** `PUT /conversations/{id}/notification-settings`: both fields, every time (null and null: no override). */
export const SetConversationNotifications = Type.Object(
  {
    level: Type.Union([NotificationLevel, Type.Null()], { description: 'null: follow the default level' }),
    muted_until: Type.Union([Timestamp, Type.Null()], { description: `null or a past instant: not muted; ${MUTED_FOREVER}: until unmuted` }),
  },
  { additionalProperties: false },
);
export type SetConversationNotifications = Static<typeof SetConversationNotifications>;
