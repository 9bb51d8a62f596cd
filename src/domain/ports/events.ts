/**
 * What the domain says happened, announced by the services right after the change commits.
 * Events carry domain data, never wire frames: the realtime layer decides who hears an event
 * and in which frame; later subscribers (webhooks, push, search indexing) attach to the same
 * stream without touching the services. (The change feed itself is written by the store, in the
 * change's own transaction: an event here is already in the log.)
 *
 * Events about a conversation carry `member_ids`, the members when the change committed: the
 * service has them at hand (it checked membership), and a subscriber that looked them up
 * afterwards could see a later membership and, being asynchronous, reorder events. Those that
 * are changes to a conversation carry its `event_seq` (for messages: `message.version`); those
 * that change what belongs to a user carry that user's new `user_seq`.
 */
import type { Conversation, ConversationNotificationSettings, Member, Message, NotificationDefaults, User } from '@pneumatic/protocol';

export interface ReactionChange {
  conversation_id: string;
  message_id: string;
  emoji: string;
  user_id: string;
  count: number;
  event_seq: number;
  member_ids: string[];
}

/** A member pinned or unpinned a message, at `at`, as the conversation's event `event_seq`. */
export interface PinChange {
  conversation_id: string;
  message_id: string;
  user_id: string;
  at: string;
  event_seq: number;
  member_ids: string[];
}

export interface DomainEventMap {
  /** A new message was stored with the next seq of its conversation; `message.version` is its event_seq. */
  'message.created': { message: Message; member_ids: string[] };
  /** The sender changed a message's content; `message.version` is the event_seq. */
  'message.edited': { message: Message; member_ids: string[] };
  /** A message was deleted: it keeps its seq, its content is blanked; `message.version` is the event_seq. */
  'message.deleted': { message: Message; member_ids: string[] };
  /**
   * A member reacted to a message with an emoji, or took the reaction back; `count` is that
   * emoji's count on the message after the change, `event_seq` the message's new version.
   */
  'reaction.added': ReactionChange;
  /**
   * A reply was posted in a message's thread: `message` is the root with its new `thread`
   * summary; `message.version` is the event_seq (docs/API.md, "Replies and threads").
   */
  'thread.updated': { message: Message; member_ids: string[] };
  /** A user's read position in a thread moved forward to `seq`: told to that user's devices only. */
  'thread.read': { conversation_id: string; message_id: string; user_id: string; seq: number };
  'reaction.removed': ReactionChange;
  /** A member pinned a message of the conversation, or unpinned one (docs/API.md, "Pins"). */
  'message.pinned': PinChange;
  'message.unpinned': PinChange;
  /** A conversation was created with its first members (event_seq 1); each member's new user_seq. */
  'conversation.created': { conversation: Conversation; user_seqs: Record<string, number> };
  /** The title changed. */
  'conversation.updated': { conversation: Conversation; event_seq: number; member_ids: string[] };
  /** A user joined an existing conversation; `conversation` lists every member, the new one included. */
  'member.added': { conversation: Conversation; user_id: string; event_seq: number; user_seq: number };
  /** A member left or was removed; `member_ids` are the members before, the removed one included. */
  'member.removed': { conversation_id: string; user_id: string; member_ids: string[]; event_seq: number; user_seq: number };
  /** A member's role changed (the longest-standing member became owner when the last owner left). */
  'member.updated': { conversation_id: string; member: Member; member_ids: string[]; event_seq: number };
  /** Retention deleted every message of the conversation at or below `through_seq` (docs/API.md, "Retention"). */
  'messages.expired': { conversation_id: string; through_seq: number; event_seq: number; member_ids: string[] };
  /** A member's read position moved forward to `seq`; `user_seq` is the reader's. */
  'read.advanced': { conversation_id: string; user_id: string; seq: number; user_seq: number; member_ids: string[] };
  /** A member is typing; nothing is stored. */
  'typing.started': { conversation_id: string; user_id: string; member_ids: string[] };
  /**
   * A user's notification settings changed (docs/API.md, "Notification settings"): their new
   * `defaults`, or one conversation's override. Told to that user's devices only.
   */
  'notification_settings.changed': { user_id: string; user_seq: number; defaults?: NotificationDefaults; conversation?: ConversationNotificationSettings };
  /** A user changed their profile (docs/API.md, "Profiles"): told to their own devices, with their new user_seq. */
  'user.updated': { user: User; user_seq: number };
  /**
   * Login sessions ended (logout, revoked from the sessions list, or every other one after a
   * password change) or an API token was revoked: whatever was opened with them must stop working.
   */
  'sessions.revoked': { user_id: string; session_ids: string[]; reason: 'logout' | 'token_revoked' | 'session_revoked' | 'password_changed' | 'deactivated' };
}

export type DomainEventType = keyof DomainEventMap;

/** One event: its `type` and its data, e.g. `{ type: 'message.created', message, member_ids }`. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { type: K } & DomainEventMap[K];
}[T];

/**
 * Ordering: events leave in the order this process learns of its commits. On SQLite the writer
 * thread (sends) and the main thread (other changes) commit independently, and on PostgreSQL
 * commits on different pooled connections are acknowledged in any order, so two changes to one
 * conversation may be announced out of event_seq order: a subscriber that needs order orders by
 * event_seq (the realtime layer's sequencer does).
 */
export interface EventPublisher {
  /** Called after the change committed, with no await in between. */
  publish(event: DomainEvent): void;
}
