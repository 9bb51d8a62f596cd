import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import { postgresPushTriggersSql, sqlitePushTriggersSql } from '../push/push-triggers.js';
import type { ColumnTypes } from './column-types.js';

/**
 * Web Push (docs/API.md, "Web Push"; docs/architecture.md, "The push queue").
 *
 * `push_subscriptions`: one row per browser subscription (its endpoint is unique: one browser
 * profile belongs to one user at a time); `origin` is the endpoint's, what the sender's
 * per-service concurrency and VAPID tokens are keyed by.
 *
 * `members.push_subscribed`: 1 when the member's user has a subscription, kept by triggers on
 * both tables, so "does anyone else here want pushes?" is one probe of a partial index
 * whatever the conversation's size, and sends in conversations where nobody subscribed pay
 * about nothing. The constant default rewrites no row.
 *
 * `push_outbox`: one row per new message that may need pushes, written by a trigger on
 * `messages` in the send's own transaction, whichever path inserted the message (SQLite's
 * writer thread, PostgreSQL's group commit, thread replies, a tool on its own connection), so
 * a crash can neither lose nor duplicate it. `lease_until` (epoch ms) marks a row a
 * dispatcher is expanding, so several processes do not do the same work twice.
 *
 * `push_deliveries`: one row per subscription and conversation: the push to send (`pending`
 * 1) or the last one sent (`pending` 0, kept as the conversation's high-water mark). A newer
 * message (a higher `seq`) replaces it, with a new `id` (the payload's); an older one never does,
 * so a message expanded late (its outbox row's lease ran out after a crash, or PostgreSQL
 * committed it after a newer one) is not pushed after a newer one. So the table is bounded by
 * subscriptions × conversations and a burst costs a few pushes, not one per message. Times are
 * epoch milliseconds (bigint) on both databases: the queue only compares them.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('push_subscriptions')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('endpoint', 'text', (c) => c.notNull().unique())
    .addColumn('origin', 'text', (c) => c.notNull())
    .addColumn('p256dh', 'text', (c) => c.notNull())
    .addColumn('auth', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp)
    .execute();
  await db.schema.createIndex('push_subscriptions_user').on('push_subscriptions').columns(['user_id']).execute();

  await db.schema.alterTable('members').addColumn('push_subscribed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createIndex('members_push_subscribed')
    .on('members')
    .columns(['conversation_id', 'user_id'])
    .where(sql.ref('push_subscribed'), '=', 1)
    .execute();

  await db.schema
    .createTable('push_outbox')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .execute();

  await db.schema
    .createTable('push_deliveries')
    .addColumn('subscription_id', t.id, (c) => c.notNull().references('push_subscriptions.id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('id', t.id, (c) => c.notNull())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('mention', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('preview', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('pending', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('queued_at', 'bigint', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('lease_until', 'bigint')
    .addColumn('last_error', 'text')
    .addPrimaryKeyConstraint('push_deliveries_pk', ['subscription_id', 'conversation_id'])
    .execute();
  await db.schema.createIndex('push_deliveries_due').on('push_deliveries').columns(['next_attempt_at']).where(sql.ref('pending'), '=', 1).execute();

  const triggers = dialect === 'postgres' ? postgresPushTriggersSql() : sqlitePushTriggersSql();
  for (const statement of triggers) await sql.raw(statement).execute(db);
}
