import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Retention (docs/API.md, "Retention").
 *
 * - `server_settings`: settings an admin changes through the API (name → JSON value), here the
 *   server-wide `message_retention_days`. Settings of the process stay in the environment.
 * - `conversations.retention_days`: a conversation's own period (null: the server's), and
 *   `expired_through_seq`: every message at or below it is gone, so clients drop them too.
 * - `job_leases`: one holder at a time per background job across processes (SQLite and
 *   PostgreSQL alike, no advisory locks needed); an expired lease is taken over.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('server_settings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.alterTable('conversations').addColumn('retention_days', 'integer').execute();
  await db.schema.alterTable('conversations').addColumn('expired_through_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('job_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .execute();
}
