/**
 * What the domain says happened, announced by the services right after the change commits.
 * Events carry domain data, never wire frames: the realtime layer decides who hears an event
 * and in which frame; later subscribers (change feed, webhooks, push, search indexing) attach
 * to the same stream without touching the services.
 *
 * Events about a conversation carry `member_ids`, the members when the change committed: the
 * service has them at hand (it checked membership), and a subscriber that looked them up
 * afterwards could see a later membership and, being asynchronous, reorder events.
 */
import type { Conversation, Message } from '@pneumatic/protocol';

export interface DomainEventMap {
  /** A new message was stored with the next seq of its conversation. */
  'message.created': { message: Message; member_ids: string[] };
  /** The sender changed a message's content. */
  'message.edited': { message: Message; member_ids: string[] };
  /** A message was deleted: it keeps its seq, its content is blanked. */
  'message.deleted': { message: Message; member_ids: string[] };
  /** A conversation was created with its first members. */
  'conversation.created': { conversation: Conversation };
  /** A user joined an existing conversation; `conversation` lists every member, the new one included. */
  'member.added': { conversation: Conversation; user_id: string };
  /** A member left or was removed; `member_ids` are the members before, the removed one included. */
  'member.removed': { conversation_id: string; user_id: string; member_ids: string[] };
  /** A member's read position moved forward to `seq`. */
  'read.advanced': { conversation_id: string; user_id: string; seq: number; member_ids: string[] };
  /** A member is typing; nothing is stored. */
  'typing.started': { conversation_id: string; user_id: string; member_ids: string[] };
  /** Login sessions ended (logout): whatever was opened with them must stop working. */
  'sessions.revoked': { user_id: string; session_ids: string[]; reason: 'logout' };
}

export type DomainEventType = keyof DomainEventMap;

/** One event: its `type` and its data, e.g. `{ type: 'message.created', message, member_ids }`. */
export type DomainEvent<T extends DomainEventType = DomainEventType> = {
  [K in T]: { type: K } & DomainEventMap[K];
}[T];

/**
 * Ordering: events leave in the order this process learns of its commits. On SQLite (one writer)
 * that is commit order. On PostgreSQL, commits on different pooled connections are acknowledged
 * in any order, so two sends to one conversation may be announced out of seq order: a subscriber
 * that needs order orders by `message.seq` (the realtime layer's sequencer does).
 */
export interface EventPublisher {
  /** Called after the change committed, with no await in between. */
  publish(event: DomainEvent): void;
}
