/**
 * The change feed (docs/API.md, "Change feed"): every change to a conversation is an event with
 * the conversation's next `event_seq`; `GET /conversations/{id}/events` and `POST /sync` serve
 * them, each carrying the current state of what it changed.
 */
import { Type, type Static } from 'typebox';
import { Conversation, Member, Message, Timestamp, User, Uuid } from './models.js';
import { NotificationSettings } from './notifications.js';
import { PinRef } from './pins.js';
import { MyReactions } from './reactions.js';

const EventHead = {
  event_seq: Type.Integer({ minimum: 1 }),
  conversation_id: Uuid,
  actor_id: Type.Union([Uuid, Type.Null()], { description: 'who made the change; null for automatic ones' }),
  created_at: Timestamp,
};

// In a file without TypeBox, so the SDK and the web app can list them at no bundle cost.
export { ConversationEventTypes, type ConversationEventType } from './event-types.js';

export const ConversationEvent = Type.Union(
  [
    Type.Object({
      ...EventHead,
      type: Type.Union([Type.Literal('conversation.created'), Type.Literal('conversation.updated')]),
      conversation: Conversation,
    }),
    Type.Object({
      ...EventHead,
      type: Type.Union([Type.Literal('message.created'), Type.Literal('message.edited'), Type.Literal('message.deleted'), Type.Literal('thread.updated')]),
      message: Message,
    }),
    Type.Object({
      ...EventHead,
      type: Type.Union([Type.Literal('member.added'), Type.Literal('member.removed'), Type.Literal('member.updated')]),
      user_id: Uuid,
      member: Type.Union([Member, Type.Null()], { description: 'the member as it is now; null when no longer a member' }),
    }),
    Type.Object({
      ...EventHead,
      type: Type.Union([Type.Literal('reaction.added'), Type.Literal('reaction.removed')]),
      message_id: Uuid,
      emoji: Type.String(),
      user_id: Uuid,
      count: Type.Integer({ minimum: 0, description: "the emoji's count on the message: after the change live, as it is now when read from the log" }),
    }),
    Type.Object({
      ...EventHead,
      type: Type.Union([Type.Literal('message.pinned'), Type.Literal('message.unpinned')]),
      message_id: Uuid,
      user_id: Uuid,
      at: Timestamp,
    }),
    Type.Object({
      ...EventHead,
      type: Type.Literal('messages.expired'),
      through_seq: Type.Integer({ minimum: 1, description: 'every message at or below this seq was deleted by retention (docs/API.md, "Retention")' }),
    }),
  ],
  { title: 'ConversationEvent' },
);
export type ConversationEvent = Static<typeof ConversationEvent>;

export const EventsPage = Type.Object(
  { events: Type.Array(ConversationEvent), has_more: Type.Boolean(), last_event_seq: Type.Integer({ minimum: 0 }) },
  { title: 'EventsPage' },
);
export type EventsPage = Static<typeof EventsPage>;

export const ReadPosition = Type.Object({ user_id: Uuid, last_read_seq: Type.Integer({ minimum: 0 }) }, { title: 'ReadPosition' });
export type ReadPosition = Static<typeof ReadPosition>;

export const ConversationSnapshot = Type.Object(
  {
    conversation: Conversation,
    messages: Type.Array(Message, { description: 'the latest messages, ascending by seq' }),
    has_more_messages: Type.Boolean(),
    // The pins of older messages are not among `messages`, and their events may be compacted away.
    pins: Type.Array(PinRef, { description: 'every pin of the conversation, newest first' }),
    /** The caller's own reactions on these messages (docs/API.md, "Reactions"); absent from older servers. */
    my_reactions: Type.Optional(MyReactions),
    /** In `POST /sync`: the caller's unread_mentions in the conversation, as in `GET /conversations`. */
    unread_mentions: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { title: 'ConversationSnapshot' },
);
export type ConversationSnapshot = Static<typeof ConversationSnapshot>;

export const SyncEntry = Type.Union(
  [
    Type.Object({
      conversation_id: Uuid,
      status: Type.Literal('events'),
      events: Type.Array(ConversationEvent),
      has_more: Type.Boolean(),
      last_event_seq: Type.Integer({ minimum: 0 }),
      reads: Type.Array(ReadPosition),
    }),
    Type.Object({
      conversation_id: Uuid,
      status: Type.Literal('snapshot'),
      reason: Type.Union([Type.Literal('joined'), Type.Literal('expired')]),
      snapshot: ConversationSnapshot,
    }),
    Type.Object({ conversation_id: Uuid, status: Type.Literal('gone') }),
  ],
  { title: 'SyncEntry' },
);
export type SyncEntry = Static<typeof SyncEntry>;

export const SyncResponse = Type.Object(
  {
    user_seq: Type.Integer({ minimum: 0 }),
    conversations: Type.Array(SyncEntry),
    /** The caller's notification settings as of `user_seq` or later (docs/API.md, "Notification settings"); absent from older servers. */
    notification_settings: Type.Optional(NotificationSettings),
    /** The caller's own profile as of `user_seq` or later (docs/API.md, "Profiles"); absent from older servers. */
    me: Type.Optional(User),
  },
  { title: 'SyncResponse' },
);
export type SyncResponse = Static<typeof SyncResponse>;

/** At most this many conversations in one `POST /sync`. */
export const SYNC_MAX_CONVERSATIONS = 10_000;
/** The body limit of `POST /sync` (10,000 positions fit with room to spare). */
export const SYNC_BODY_MAX_BYTES = 1024 * 1024;
