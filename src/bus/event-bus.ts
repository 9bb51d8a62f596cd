import type { EventPublisher } from '../domain/ports/events.js';

/** Where a `message` frame stands in its conversation, so receivers can release frames in seq order. */
export interface SeqOrder {
  conversationId: string;
  seq: number;
}

/** What reaches a process for one of its users: a serialized frame, or an order to close sessions. */
export type UserDelivery =
  | { kind: 'frame'; userId: string; text: string; order: SeqOrder | null }
  | { kind: 'close-sessions'; userId: string; sessionIds: string[]; code: number; reason: string };

/**
 * Carries domain events to every process holding a connection of an addressed user. Each
 * event is serialized once per publish; receivers get ready-to-send text. The realtime layer
 * declares which users it serves (`watchUser`), so a distributed bus routes an event only to
 * the processes that need it.
 */
export interface EventBus extends EventPublisher {
  onDelivery(handler: (delivery: UserDelivery) => void): void;
  /** Called when events may have been lost (the bus reconnected): connections must catch up. */
  onInterrupted(handler: () => void): void;
  /** Starts routing the user's events here; resolves once they are guaranteed to arrive. */
  watchUser(userId: string): Promise<void>;
  unwatchUser(userId: string): void;
  /** Whether events published now reach other processes (always true in-process). */
  isHealthy(): boolean;
  close(): Promise<void>;
}
