/** What a live session emits. Payloads are the server's frames without their `type`. */
import type { PneumaticError } from '../errors.js';
import type { Conversation, FrameOf, Member, Message, UserPresence } from '../types.js';

export type SessionState = 'connecting' | 'syncing' | 'live' | 'reconnecting' | 'closed';

export interface SessionStateChange {
  /**
   * `connecting` (first socket), `syncing` (socket open, catching up on missed messages; live
   * events are held), `live`, `reconnecting` (waiting `delayMs` before attempt `attempt`),
   * `closed` (for good: `close()`, logout, or a terminal close code).
   */
  state: SessionState;
  delayMs?: number;
  attempt?: number;
  code?: number;
  reason?: string;
}

type Payload<T> = Omit<T, 'type'>;

/** A reaction change: `user_id` reacted to `message_id` with `emoji`, now on it `count` times. */
export interface ReactionEvent {
  conversation_id: string;
  message_id: string;
  emoji: string;
  user_id: string;
  count: number;
}

export interface SessionEvents {
  /**
   * A new message, at most once per message_id and in seq order per conversation (live or caught
   * up); exactly once for every message created while the conversation is known to the session,
   * unless it is reset in between. Messages of a snapshot (a conversation you joined) are not announced.
   */
  message: Message;
  /** An edit or delete (the message as it is now; never older than the copy in `state`). */
  'message.updated': Message;
  typing: Payload<FrameOf<'typing'>>;
  /** A typing indicator expired, or its user sent a message. */
  'typing.stopped': Payload<FrameOf<'typing'>>;
  /** A member's read position moved (yours too, from any of your devices). */
  read: Payload<FrameOf<'read'>>;
  /**
   * You or someone else joined a conversation (`user_id`), or one was created with you in it
   * (`user_id` null). `conversation` is the conversation as `state` now holds it.
   */
  'member.added': { conversation: Conversation; user_id?: string | null };
  /** A member left or was removed; with your own user_id, the conversation is gone from `state`. */
  'member.removed': { conversation_id: string; user_id: string };
  /**
   * A member's role changed (the longest-standing member becomes owner when the last one leaves), or
   * their display name or avatar (`state.users` has it too).
   */
  'member.updated': { conversation_id: string; member: Member };
  /** A conversation's title changed. */
  'conversation.updated': { conversation: Conversation };
  /**
   * The conversation's state was replaced by a snapshot: the session's position was older than
   * the events the server keeps. Messages in between were not announced; re-read `state`.
   */
  'conversation.reset': { conversation_id: string };
  /**
   * Retention deleted every message of the conversation at or below `through_seq` (docs/API.md,
   * "Retention"); `state` no longer holds them.
   */
  'messages.expired': { conversation_id: string; through_seq: number };
  /**
   * Someone (you included, from any device) reacted to a message or took a reaction back; `count`
   * is the emoji's count now. `state.reactions()` already shows it.
   */
  'reaction.added': ReactionEvent;
  'reaction.removed': ReactionEvent;
  /**
   * A user sharing a conversation with you went online, away or offline (a `presence` frame, or
   * the answer of `GET /presence` after a reconnect); `state.presence(user_id)` already says so.
   */
  presence: UserPresence;
  /** Connection state changes. */
  state: SessionStateChange;
  /** Non-fatal problems: a refused frame, a failed catch-up (retried, on a new connection for a sync). */
  error: PneumaticError;
}
