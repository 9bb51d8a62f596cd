import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Reports (docs/API.md, "Reports"). A reporter reports a message once (unique), and `content` is
 * the message's text when it was reported, so the admins judge what was reported even after an
 * edit or a delete. The queue is read by status, oldest first: (`status`, `created_at`, `id`).
 * A report goes with its message's conversation and with its reporter's account.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('message_id', t.id, (c) => c.notNull())
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('reporter_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('sender_id', t.id, (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('resolved_at', t.timestamp)
    .addColumn('resolved_by', t.id)
    .addColumn('note', 'text')
    .addUniqueConstraint('reports_reporter_message', ['reporter_id', 'message_id'])
    .execute();
  await db.schema.createIndex('reports_queue').on('reports').columns(['status', 'created_at', 'id']).execute();
}
