/**
 * Outgoing webhooks (docs/API.md, "Outgoing webhooks"): the owner's side (WebhookRepository)
 * and the delivering side (WebhookQueue), whose queue is a cursor per webhook and conversation
 * into the change feed (docs/architecture.md, "Outgoing webhooks"). Queue times are epoch ms.
 */
import type { WebhookDelivery } from '@pneumatic/protocol';

export type WebhookDisabledReason = 'failing' | 'owner';

export interface WebhookRecord {
  id: string;
  owner_id: string;
  /** Whose conversations it covers: the owner's one conversation, or every conversation of the bot. */
  subject_user_id: string;
  conversation_id: string | null;
  bot_id: string | null;
  url: string;
  event_types: string[];
  description: string;
  enabled: boolean;
  disabled_reason: WebhookDisabledReason | null;
  disabled_at: string | null;
  failing_since: string | null;
  last_success_at: string | null;
  created_at: string;
}

export interface WebhookChanges {
  url?: string;
  event_types?: string[];
  description?: string;
  /** false disables it (reason `owner`); true enables it and makes every lane due now. */
  enabled?: boolean;
}

export interface DeliveryPage {
  limit: number;
  /** Newer than this delivery's position are skipped: [last_attempt ordering key]. */
  before?: { created_at: number; id: string };
  status?: WebhookDelivery['status'];
}

export interface WebhookRepository {
  /**
   * Stores the webhook with its secret and, in the same transaction, a lane at the current end of
   * the change feed of each conversation it covers now: it gets what happens from here on.
   */
  create(webhook: WebhookRecord, secret: string, now: number): Promise<void>;
  countOwnedBy(ownerId: string): Promise<number>;
  /** The owner's webhooks, oldest first. */
  ownedBy(ownerId: string): Promise<WebhookRecord[]>;
  find(id: string): Promise<WebhookRecord | null>;
  update(id: string, changes: WebhookChanges, now: number): Promise<WebhookRecord | null>;
  /** The new secret signs from now on; the old one beside it until `previousUntil`. */
  rotateSecret(id: string, secret: string, previousUntil: number): Promise<boolean>;
  remove(id: string): Promise<boolean>;
  /** The delivery log, newest first. */
  deliveries(webhookId: string, page: DeliveryPage): Promise<WebhookDelivery[]>;
  /**
   * Asks for the delivery to be sent again: a retrying one (its lane's head) is made due now, any
   * other is queued for one more attempt beside its lane. Null when the webhook has no such delivery.
   */
  requestRedelivery(webhookId: string, deliveryId: string, now: number): Promise<WebhookDelivery | null>;
}

/** What a delivery needs of its webhook. */
export interface WebhookTarget {
  id: string;
  url: string;
  event_types: ReadonlySet<string>;
  /** The signing secrets: the current one, and a rotated-out one still within its overlap. */
  secrets: string[];
  /** Epoch ms of the first failure since the last success; null while it succeeds. */
  failing_since: number | null;
}

export interface LaneKey {
  webhook_id: string;
  conversation_id: string;
}

/** A lane this process holds until `lease_until`: the next event after `delivered_event_seq` is its to send. */
export interface ClaimedLane extends LaneKey {
  webhook: WebhookTarget;
  delivered_event_seq: number;
  /** Failed attempts at the head event so far. */
  attempts: number;
  /** Epoch ms of the head event's first failure; null when it has not failed. */
  head_failing_since: number | null;
  lease_until: number;
}

/** One attempt's outcome, for the log. */
export interface AttemptRecord {
  webhook_id: string;
  /** The `webhook-id` it was sent with (webhookDeliveryId), the log row's id. */
  delivery_id: string;
  conversation_id: string;
  event_seq: number;
  event_type: string;
  ok: boolean;
  response_status: number | null;
  error: string | null;
  latency_ms: number;
  at: number;
}

export interface LaneProgress {
  lane: ClaimedLane;
  cursor: number;
  delivered: readonly AttemptRecord[];
  leaseUntil: number | null;
}

export interface FailedHead {
  attempt: AttemptRecord;
  /** When the head is tried again; null gives it up (logged `failed`) and moves the lane past it. */
  next_attempt_at: number | null;
  /** Whether the webhook is disabled now (it failed for the whole disable period). */
  disable: boolean;
}

/** A redelivery asked for through the API, claimed by one process until `lease_until`. */
export interface ClaimedRedelivery {
  id: string;
  webhook: WebhookTarget;
  conversation_id: string;
  event_seq: number;
  event_type: string;
  attempts: number;
  lease_until: number;
}

export interface WebhookCapacity {
  /** Webhooks with no free slot in this process: their lanes are not claimed. */
  full: readonly string[];
  /** Slots left for a webhook in this process. */
  of(webhookId: string): number;
}

export interface WebhookQueue {
  /** Whether any webhook exists (the engine idles until one does). */
  any(): Promise<boolean>;
  /**
   * Opens lanes for conversations the subjects joined, closes those of conversations they left;
   * returns the conversations that have lanes of enabled webhooks.
   */
  syncLanes(now: number): Promise<Set<string>>;
  /** Leases due lanes of enabled webhooks whose conversation has events after the lane's cursor. */
  claimLanes(limit: number, now: number, leaseUntil: number, capacity: WebhookCapacity): Promise<ClaimedLane[]>;
  /**
   * For each lane, in one transaction: logs delivered events and moves the cursor, keeping the
   * lease until `leaseUntil` (null releases it), if this claim still holds the lane (its
   * `lease_until`); answers, per entry, whether it did (nothing is written for one that does not).
   */
  advanceMany(progress: readonly LaneProgress[]): Promise<boolean[]>;
  /** Logs a failed attempt at the head, schedules or gives it up, releases the lane (if this claim still holds it). */
  fail(lane: ClaimedLane, cursor: number, failed: FailedHead): Promise<void>;
  claimRedeliveries(limit: number, now: number, leaseUntil: number): Promise<ClaimedRedelivery[]>;
  settleRedelivery(redelivery: ClaimedRedelivery, attempt: AttemptRecord): Promise<void>;
  /** Deletes log rows created before `before`; returns how many. */
  pruneLog(before: number): Promise<number>;
}
