/** Kysely table types of migration 0015 (Web Push). Queue times are epoch milliseconds. */
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../schema.js';

/** A bigint column: pg returns it as text, better-sqlite3 as a number. */
type EpochMs = ColumnType<number | string, number, number>;
type NullableEpochMs = ColumnType<number | string | null, number | null | undefined, number | null>;

export interface PushSubscriptionsTable {
  id: string;
  user_id: string;
  endpoint: string;
  /** The endpoint's origin: the push service, as per-service concurrency and VAPID tokens key it. */
  origin: string;
  p256dh: string;
  auth: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
}

export interface PushOutboxTable {
  id: Generated<number | string>;
  message_id: string;
  lease_until: NullableEpochMs;
}

export interface PushDeliveriesTable {
  subscription_id: string;
  conversation_id: string;
  /** The payload's id, stable across retries; a newer message replacing this one gets a new id. */
  id: string;
  message_id: string;
  /** The message's seq: only a newer message of the conversation replaces a pending delivery. */
  seq: number;
  mention: number;
  urgent: number;
  preview: number;
  /** 1: to send; 0: sent (or dropped), kept as the conversation's high-water mark. */
  pending: Generated<number>;
  attempts: Generated<number>;
  queued_at: EpochMs;
  next_attempt_at: EpochMs;
  lease_until: NullableEpochMs;
  last_error: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PushTables {
  push_subscriptions: PushSubscriptionsTable;
  push_outbox: PushOutboxTable;
  push_deliveries: PushDeliveriesTable;
}
