import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Outgoing webhooks (docs/API.md, "Outgoing webhooks"; docs/architecture.md, "Outgoing webhooks").
 *
 * - `webhooks`: one row per subscribed URL. `subject_user_id` is whose conversations it covers
 *   (its owner for a conversation webhook, the bot for a bot webhook), `conversation_id` narrows
 *   it to one. The signing secret is kept as is (HMAC needs it); `previous_secret` keeps signing
 *   beside a rotated one until `previous_secret_until`.
 * - `webhook_lanes`: the queue. The change feed is written in each change's own transaction, so
 *   the queue is a cursor into it per webhook and conversation (`delivered_event_seq`): nothing
 *   is written on the send path, and a crash loses nothing the log holds. A lane is leased while
 *   a process delivers it (`lease_until`), so one event is in flight per lane, in event_seq
 *   order. Times used for scheduling are epoch milliseconds (bigint), as the push queue's.
 * - `webhook_deliveries`: the delivery log, one row per event tried, keyed by the `webhook-id`
 *   every attempt of it carries.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('webhooks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('owner_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('subject_user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.references('conversations.id').onDelete('cascade'))
    .addColumn('bot_id', t.id, (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('previous_secret', 'text')
    .addColumn('previous_secret_until', 'bigint')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('disabled_reason', 'text')
    .addColumn('disabled_at', t.timestamp)
    .addColumn('failing_since', t.timestamp)
    .addColumn('last_success_at', t.timestamp)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('webhooks_by_owner').on('webhooks').columns(['owner_id', 'created_at']).execute();
  await db.schema.createIndex('webhooks_by_subject').on('webhooks').columns(['subject_user_id']).execute();

  await db.schema
    .createTable('webhook_lanes')
    .addColumn('webhook_id', t.id, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('delivered_event_seq', 'integer', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('head_failing_since', 'bigint')
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addPrimaryKeyConstraint('webhook_lanes_pk', ['webhook_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('webhook_lanes_by_conversation').on('webhook_lanes').columns(['conversation_id']).execute();

  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('webhook_id', t.id, (c) => c.notNull().references('webhooks.id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('event_seq', 'integer', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('response_status', 'integer')
    .addColumn('error', 'text')
    .addColumn('latency_ms', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint')
    .addColumn('redeliver_requested_at', 'bigint')
    .addColumn('redeliver_lease_until', 'bigint')
    .execute();
  await db.schema.createIndex('webhook_deliveries_log').on('webhook_deliveries').columns(['webhook_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('webhook_deliveries_aging').on('webhook_deliveries').columns(['created_at']).execute();
}
