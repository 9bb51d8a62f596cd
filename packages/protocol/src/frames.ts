/** WebSocket frames of ../shared/API.md: client → server schemas, server → client types. */
import { Type, type Static } from 'typebox';
import type { Limits } from './limits.js';
import { ReplyFields, sendContent } from './requests.js';
import { Uuid, type Conversation, type FieldError, type Member, type Message, type User } from './models.js';
import type { UserPresence } from './presence.js';
import type { ConversationNotificationSettings, NotificationDefaults } from './notifications.js';

export function clientFrameSchemas(limits: Limits) {
  return {
    message: Type.Object({
      type: Type.Literal('message'),
      message_id: Uuid,
      conversation_id: Uuid,
      content: sendContent(limits),
      ...ReplyFields,
    }),
    join: Type.Object({ type: Type.Literal('join'), conversation_id: Uuid }),
    typing: Type.Object({ type: Type.Literal('typing'), conversation_id: Uuid }),
    read: Type.Object({ type: Type.Literal('read'), conversation_id: Uuid, seq: Type.Integer({ minimum: 0 }) }),
    ping: Type.Object({ type: Type.Literal('ping') }),
    /**
     * This device's whole report (docs/API.md, "Presence"): whether its user is using it, and
     * the conversation open and visible on it (null: none, or the app is hidden).
     */
    activity: Type.Object({
      type: Type.Literal('activity'),
      state: Type.Union([Type.Literal('active'), Type.Literal('idle')]),
      viewing: Type.Union([Uuid, Type.Null()]),
    }),
  };
}

export type ClientFrameSchemas = ReturnType<typeof clientFrameSchemas>;
export type ClientFrameType = keyof ClientFrameSchemas;
export type ClientFrame<T extends ClientFrameType = ClientFrameType> = Static<ClientFrameSchemas[T]>;

/**
 * Frames that stem from a conversation event carry its `conversation_id` and `event_seq`
 * (docs/API.md, Change feed); those about the receiving user's own state carry `user_seq`.
 */
export type ServerFrame =
  | { type: 'ack'; message_id: string; message: Message }
  | { type: 'message'; conversation_id: string; event_seq: number; message: Message }
  | { type: 'message.updated'; conversation_id: string; event_seq: number; message: Message }
  | { type: 'read'; conversation_id: string; user_id: string; seq: number; user_seq?: number }
  | { type: 'typing'; conversation_id: string; user_id: string }
  /** `user_id` is the member who joined; null when the conversation was just created. */
  | { type: 'member.added'; conversation_id: string; event_seq: number; user_id: string | null; conversation: Conversation; user_seq?: number }
  | { type: 'member.removed'; conversation_id: string; event_seq: number; user_id: string; user_seq?: number }
  | { type: 'member.updated'; conversation_id: string; event_seq: number; member: Member }
  | { type: 'conversation.updated'; conversation_id: string; event_seq: number; conversation: Conversation }
  /** `user_id` reacted (or took the reaction back); `count` is the emoji's count on the message after the change. */
  | { type: 'reaction.added' | 'reaction.removed'; conversation_id: string; event_seq: number; message_id: string; emoji: string; user_id: string; count: number }
  /** `user_id` pinned (or unpinned) the message at `at` (docs/API.md, "Pins"). */
  | { type: 'message.pinned' | 'message.unpinned'; conversation_id: string; event_seq: number; message_id: string; user_id: string; at: string }
  /** Your read position in a thread moved (on another of your devices): `seq` is the thread's last read reply. */
  | { type: 'thread.read'; conversation_id: string; message_id: string; seq: number }
  /** Retention deleted every message of the conversation at or below `through_seq` (docs/API.md, "Retention"). */
  | { type: 'messages.expired'; conversation_id: string; event_seq: number; through_seq: number }
  /**
   * Your notification settings changed (on any of your devices; docs/API.md, "Notification
   * settings"): the new `defaults`, or one `conversation`'s override, with your new user_seq.
   */
  | { type: 'notification_settings'; user_seq: number; defaults?: NotificationDefaults; conversation?: ConversationNotificationSettings }
  /** Your own profile changed (on any of your devices; docs/API.md, "Profiles"), with your new user_seq. */
  | { type: 'user.updated'; user: User; user_seq: number }
  | { type: 'joined'; conversation_id: string; last_seq: number; last_event_seq: number }
  /** A contact's status changed (docs/API.md, "Presence"); at most one per user every few seconds, never replayed. */
  | ({ type: 'presence' } & UserPresence)
  | { type: 'pong' }
  /**
   * `errors`: with invalid_request from a schema, the invalid fields (as in a problem+json).
   * `retry_after`: seconds to wait before sending again, as HTTP's Retry-After (unavailable, rate_limited).
   */
  | { type: 'error'; code: string; detail: string; ref: string | null; errors?: FieldError[]; retry_after?: number };

export { CloseCode, FIRST_RECONNECT_CLOSE_CODE, FIRST_TERMINAL_CLOSE_CODE } from './close-codes.js';
