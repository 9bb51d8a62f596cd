import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { ColumnTypes } from './column-types.js';

/**
 * Message removals (docs/API.md, "Administration", Removing a user's messages): one row per job
 * deleting all of a user's messages in a window (`from_at` inclusive, `to_at` exclusive, null
 * for open; `bound_at` is the exclusive end the job actually uses: `to_at`, or the request's
 * time when open, so the job has an end while the user goes on sending).
 *
 * - Progress: `removed` of `total` (counted when it started), `cursor_created_at` and
 *   `cursor_message_id`, the last message dealt with, in (created_at, message_id) order: a job
 *   resumed elsewhere starts after it.
 * - Multi-process: a process works on a running job only while it holds its lease
 *   (`lease_holder`, `lease_until`), taken by a conditional update when free or expired and
 *   renewed while it works; a crashed holder's job is taken over once the lease expires.
 *   `failures` counts attempts that ended in an error: the job fails for good after a few.
 *
 * `messages_by_sender` holds live messages only (a deleted one leaves it), by sender and time,
 * so each batch reads the next messages of the window in one index range instead of scanning
 * every message. It costs each send one more index entry.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('message_removals')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('requested_by', t.id, (c) => c.notNull())
    .addColumn('from_at', t.timestamp)
    .addColumn('to_at', t.timestamp)
    .addColumn('bound_at', t.timestamp, (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('running'))
    .addColumn('removed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('total', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cursor_created_at', t.timestamp)
    .addColumn('cursor_message_id', t.id)
    .addColumn('lease_holder', 'text')
    .addColumn('lease_until', t.timestamp)
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('updated_at', t.timestamp, (c) => c.notNull())
    .addColumn('finished_at', t.timestamp)
    .execute();
  await db.schema.createIndex('message_removals_newest').on('message_removals').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('message_removals_user').on('message_removals').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('message_removals_running').on('message_removals').columns(['status', 'lease_until']).execute();
  if (dialect === 'sqlite') {
    // SQLite: `deleted_at` in the key, or it does not see that the index covers the condition (as 0009).
    await sql`create index messages_by_sender on messages (sender_id, created_at, message_id, deleted_at) where deleted_at is null`.execute(db);
  } else {
    await sql`create index messages_by_sender on messages (sender_id, created_at, message_id) where deleted_at is null`.execute(db);
  }
}
