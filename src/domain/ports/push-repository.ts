/**
 * What Web Push needs from storage (docs/architecture.md, "The push queue"): the users'
 * subscriptions, and the durable queue a push goes through: an outbox row written with the
 * message, expanded into at most one pending delivery per subscription and conversation, then
 * sent. Claims are leases (epoch ms): a process that dies mid-way leaves rows that fall due
 * again when their lease ends, so nothing is lost; a push whose answer was lost is sent again
 * with the same delivery id, which the service worker drops (docs/API.md, "Web Push").
 */

export interface PushSubscriptionRecord {
  id: string;
  user_id: string;
  endpoint: string;
  origin: string;
  p256dh: string;
  auth: string;
  created_at: string;
  expires_at: string | null;
}

/** `created`: new for this user (possibly moved from another); `existing`: this user had the endpoint already; `limit`: the user has too many. */
export type SubscribeOutcome = { kind: 'created' | 'existing'; subscription: PushSubscriptionRecord } | { kind: 'limit' };

export interface PushSubscriptionRepository {
  /**
   * Stores the subscription for its user, in one transaction: an endpoint the user has already is
   * kept (keys and expiry refreshed) under its id; one another user had moves to this user under
   * the new id; a new one is refused when the user already has `max`.
   */
  subscribe(subscription: PushSubscriptionRecord, max: number): Promise<SubscribeOutcome>;
  listForUser(userId: string): Promise<PushSubscriptionRecord[]>;
  /** Whether anyone has a subscription: until someone does, no message is queued for push. */
  any(): Promise<boolean>;
  /** Removes the user's subscription (and its pending pushes); false when the user has none with this id. */
  remove(userId: string, id: string): Promise<boolean>;
  /** The stored value of a server secret, storing `generated` first if there is none (every process gets the same). */
  secret(name: string, generated: string): Promise<string>;
}

/** A message taken from the outbox, with what deciding its recipients needs. */
export interface OutboxMessage {
  outbox_id: string;
  message_id: string;
  conversation_id: string;
  sender_id: string;
  seq: number;
  /** Member ids the message mentions by name, and whether it mentions everyone (`@all`). */
  mentions: string[];
  mentions_all: boolean;
  /** Members other than the sender whose user has a push subscription (the only possible recipients). */
  subscribed_member_ids: string[];
  /** Members in the conversation: 2 makes it a direct conversation (pushed with high urgency). */
  member_count: number;
  /** The message was deleted (or is gone) before it was expanded: nobody gets a push. */
  gone: boolean;
}

/** One recipient of a message's push: each of their subscriptions gets (or has replaced) a delivery. */
export interface PushRecipient {
  user_id: string;
  mention: boolean;
  urgent: boolean;
  preview: boolean;
}

/** A claimed outbox row and whom its message notifies. */
export interface PushExpansion {
  outbox_id: string;
  message_id: string;
  conversation_id: string;
  seq: number;
  recipients: PushRecipient[];
}

/** How many more requests each push service may take now; `full` lists those that may take none. */
export interface OriginCapacity {
  full: readonly string[];
  of(origin: string): number;
}

/** One delivery taken to send, with the payload's ingredients as they are now. */
export interface DueDelivery {
  id: string;
  subscription_id: string;
  conversation_id: string;
  message_id: string;
  user_id: string;
  endpoint: string;
  origin: string;
  p256dh: string;
  auth: string;
  expires_at: string | null;
  mention: boolean;
  urgent: boolean;
  preview: boolean;
  attempts: number;
  queued_at: number;
  /** The lease this claim holds (epoch ms): outcomes name it so a stale claim changes nothing. */
  lease_until: number;
  /** Null when the message was deleted since (or is gone): the delivery is dropped, not sent. */
  message: { seq: number; content: string; sender_id: string; sender_username: string; created_at: string; thread_root_id: string | null; conversation_title: string } | null;
}

/** What became of a delivery, as the sender reports it. */
export type DeliveryOutcome =
  | { kind: 'delivered' }
  /** Dropped for good: the push service refused the payload, or it aged out. */
  | { kind: 'dropped'; error: string }
  /** The subscription is gone (404/410): it and all its pending pushes are removed. */
  | { kind: 'gone' }
  | { kind: 'retry'; at: number; error: string };

export interface PushQueueRepository {
  /** Leases up to `limit` outbox rows (oldest first) until `leaseUntil` and returns their messages. */
  claimOutbox(limit: number, now: number, leaseUntil: number): Promise<OutboxMessage[]>;
  /** Whether anything is queued: an outbox row, or a delivery still to send. */
  hasWork(): Promise<boolean>;
  /**
   * In one transaction: removes the claimed outbox rows still there and, for those only, writes
   * each recipient's deliveries (replacing a pending delivery of the same conversation), so an
   * outbox row is expanded exactly once even when two processes raced for it.
   */
  expand(expansions: ReadonlyArray<PushExpansion>, now: number): Promise<number>;
  /**
   * Leases up to `limit` deliveries due at `now` until `leaseUntil`, taking from each push
   * service (origin) at most what `capacityOf` allows it (none from a service at 0), and returns
   * them with their payload's ingredients.
   */
  claimDue(limit: number, now: number, leaseUntil: number, capacityOf: OriginCapacity): Promise<DueDelivery[]>;
  /**
   * Applies outcomes in one transaction. After a push went out (or was dropped), the next push of
   * that subscription and conversation falls due no sooner than `nextPushAt` (the collapse
   * window, PUSH_COLLAPSE_SECONDS): a replacement queued meanwhile, or a message expanded later.
   */
  settle(outcomes: ReadonlyArray<{ delivery: DueDelivery; outcome: DeliveryOutcome }>, now: number, nextPushAt: number): Promise<void>;
}
