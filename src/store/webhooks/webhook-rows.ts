/** Rows of the webhook tables as the ports' records (migration 0019). */
import type { WebhookDelivery } from '@pneumatic/protocol';
import type { WebhookDisabledReason, WebhookRecord, WebhookTarget } from '../../domain/ports/webhook-repository.js';
import { toIso, toIsoOrNull } from '../rows.js';

export const WEBHOOK_COLUMNS = [
  'id', 'owner_id', 'subject_user_id', 'conversation_id', 'bot_id', 'url', 'event_types', 'description',
  'enabled', 'disabled_reason', 'disabled_at', 'failing_since', 'last_success_at', 'created_at',
] as const;

export interface WebhookRow {
  id: string;
  owner_id: string;
  subject_user_id: string;
  conversation_id: string | null;
  bot_id: string | null;
  url: string;
  event_types: string;
  description: string;
  enabled: number | string | boolean;
  disabled_reason: string | null;
  disabled_at: Date | string | null;
  failing_since: Date | string | null;
  last_success_at: Date | string | null;
  created_at: Date | string;
}

export function toWebhookRecord(row: WebhookRow): WebhookRecord {
  return {
    ...row,
    event_types: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === true || Number(row.enabled) === 1,
    disabled_reason: row.disabled_reason as WebhookDisabledReason | null,
    disabled_at: toIsoOrNull(row.disabled_at),
    failing_since: toIsoOrNull(row.failing_since),
    last_success_at: toIsoOrNull(row.last_success_at),
    created_at: toIso(row.created_at),
  };
}

/** A bigint column's value as a number (pg returns text). */
export const ms = (value: number | string | null): number | null => (value === null ? null : Number(value));

export interface TargetRow {
  id: string;
  url: string;
  event_types: string;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: number | string | null;
  failing_since: Date | string | null;
}

export function toTarget(row: TargetRow, now: number): WebhookTarget {
  const previousUntil = ms(row.previous_secret_until);
  const secrets = row.previous_secret !== null && previousUntil !== null && previousUntil > now ? [row.secret, row.previous_secret] : [row.secret];
  return {
    id: row.id,
    url: row.url,
    event_types: new Set(JSON.parse(row.event_types) as string[]),
    secrets,
    failing_since: row.failing_since === null ? null : Date.parse(toIso(row.failing_since)),
  };
}

export const DELIVERY_COLUMNS = [
  'id', 'webhook_id', 'conversation_id', 'event_seq', 'event_type', 'status', 'attempts', 'response_status',
  'error', 'latency_ms', 'created_at', 'last_attempt_at', 'next_attempt_at', 'redeliver_requested_at',
] as const;

export interface DeliveryRow {
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
  created_at: number | string;
  last_attempt_at: number | string;
  next_attempt_at: number | string | null;
  redeliver_requested_at: number | string | null;
}

const isoOf = (value: number | string | null) => (value === null ? null : new Date(Number(value)).toISOString());

export function toDelivery(row: DeliveryRow): WebhookDelivery {
  return {
    id: row.id,
    webhook_id: row.webhook_id,
    conversation_id: row.conversation_id,
    event_seq: Number(row.event_seq),
    event_type: row.event_type as WebhookDelivery['event_type'],
    status: row.status as WebhookDelivery['status'],
    attempts: Number(row.attempts),
    response_status: row.response_status === null ? null : Number(row.response_status),
    error: row.error,
    latency_ms: row.latency_ms === null ? null : Number(row.latency_ms),
    created_at: isoOf(row.created_at)!,
    last_attempt_at: isoOf(row.last_attempt_at)!,
    next_attempt_at: row.status === 'retrying' ? isoOf(row.next_attempt_at) : null,
    redelivery_requested: row.redeliver_requested_at !== null,
  };
}
