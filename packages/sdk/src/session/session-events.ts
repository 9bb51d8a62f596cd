/** What a live session emits. Payloads are the server's frames without their `type`. */
import type { PneumaticError } from '../errors.js';
import type { Conversation, FrameOf, Message } from '../types.js';

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

export interface SessionEvents {
  /** A new message, exactly once per message_id and in seq order per conversation (live or caught up). */
  message: Message;
  /** An edit or delete. */
  'message.updated': Message;
  typing: Payload<FrameOf<'typing'>>;
  /** A typing indicator expired, or its user sent a message. */
  'typing.stopped': Payload<FrameOf<'typing'>>;
  /** A member's read position moved (yours too, from any of your devices). */
  read: Payload<FrameOf<'read'>>;
  /** You or someone else joined a conversation (or one was created with you in it). */
  'member.added': { conversation: Conversation };
  'member.removed': { conversation_id: string; user_id: string };
  /** Connection state changes. */
  state: SessionStateChange;
  /** Non-fatal problems: a refused frame, a failed catch-up (retried on the next connection). */
  error: PneumaticError;
}
