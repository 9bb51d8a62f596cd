/** Kysely table types of migration 0019 (outgoing webhooks). Queue and log times are epoch milliseconds. */
import type { ColumnType, Generated } from 'kysely';
import type { NullableTimestamp, Timestamp } from '../schema.js';

/** A bigint column: pg returns it as text, better-sqlite3 as a number. */
type EpochMs = ColumnType<number | string, number, number>;
type NullableEpochMs = ColumnType<number | string | null, number | null | undefined, number | null>;

export interface WebhooksTable {
  id: string;
  owner_id: string;
  /** Whose conversations it covers: the owner (conversation webhook) or the bot (bot webhook). */
  subject_user_id: string;
  conversation_id: string | null;
  bot_id: string | null;
  url: string;
  /** JSON array of event types. */
  event_types: string;
  description: Generated<string>;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: NullableEpochMs;
  enabled: Generated<number>;
  disabled_reason: string | null;
  disabled_at: NullableTimestamp;
  failing_since: NullableTimestamp;
  last_success_at: NullableTimestamp;
  created_at: Timestamp;
}

export interface WebhookLanesTable {
  webhook_id: string;
  conversation_id: string;
  delivered_event_seq: number;
  attempts: Generated<number>;
  head_failing_since: NullableEpochMs;
  next_attempt_at: EpochMs;
  lease_until: NullableEpochMs;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  conversation_id: string;
  event_seq: number;
  event_type: string;
  status: string;
  attempts: number;
  response_status: number | null;
  error: string | null;
  latency_ms: number | null;
  created_at: EpochMs;
  last_attempt_at: EpochMs;
  next_attempt_at: NullableEpochMs;
  redeliver_requested_at: NullableEpochMs;
  redeliver_lease_until: NullableEpochMs;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_lanes: WebhookLanesTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
