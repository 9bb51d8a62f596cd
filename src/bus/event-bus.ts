/** Where a delivery stands in its conversation's change feed, so receivers release deliveries in event_seq order. */
export interface EventOrder {
  conversationId: string;
  eventSeq: number;
  /** The recipient (re)joined with this event: their stream restarts here. */
  restart?: boolean;
  /** The recipient was removed with this event: nothing after it is theirs. */
  end?: boolean;
}

/**
 * What the realtime layer hands the bus: text for the sockets of some users (serialized once,
 * opaque to the bus), or an order to close the sockets of some sessions.
 */
export type Outbound =
  | { kind: 'frame'; userIds: readonly string[]; text: string; order: EventOrder | null }
  | { kind: 'close-sessions'; userId: string; sessionIds: string[]; code: number; reason: string };

/** What reaches a process for one of its users. */
export type UserDelivery =
  | { kind: 'frame'; userId: string; text: string; order: EventOrder | null }
  | { kind: 'close-sessions'; userId: string; sessionIds: string[]; code: number; reason: string };

/**
 * Carries deliveries to every process holding a connection of an addressed user. The realtime
 * layer declares which users it serves (`watchUser`), so each process hands on only what its
 * users are addressed in. The bus never looks inside the text it carries.
 */
export interface EventBus {
  send(outbound: Outbound): void;
  onDelivery(handler: (delivery: UserDelivery) => void): void;
  /** Called when deliveries may have been lost (the bus reconnected): connections must catch up. */
  onInterrupted(handler: () => void): void;
  /** Starts routing the user's deliveries here; resolves once they are guaranteed to arrive. */
  watchUser(userId: string): Promise<void>;
  unwatchUser(userId: string): void;
  /**
   * Tells every other process to forget its cached copies of what changed here (opaque keys,
   * named by the caches), in order with the deliveries routed by `routeKey` (a conversation id,
   * or a user id for user-scoped frames). Announcements that cannot leave now are sent once the
   * bus is back.
   */
  invalidate(keys: readonly string[], routeKey: string): void;
  onInvalidation(handler: (keys: readonly string[]) => void): void;
  /** Whether deliveries sent now reach other processes (always true in-process). */
  isHealthy(): boolean;
  close(): Promise<void>;
}
