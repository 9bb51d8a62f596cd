import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Replies and threads (docs/API.md, "Replies and threads").
 *
 * Messages name the message they quote (`reply_to_id`) and the root of the thread they were
 * posted in (`thread_root_id`); a root keeps its thread's summary (`thread_reply_count`,
 * `thread_last_reply_at`, `thread_last_reply_id`), written in the reply's transaction, so a
 * history page writes it from the row with no lookup. No foreign keys: the store checks both in
 * the reply's transaction (same conversation, root not itself a reply), and messages are never
 * removed one by one. Adding nullable columns or a constant default rewrites nothing.
 *
 * `messages_thread` (partial: only thread replies) serves a thread's pages, in seq order.
 *
 * `thread_reads`: per user and root, whether the user follows the thread and their read
 * position in it (the seq of the last reply read). Keyed by user first: `GET /threads` lists a
 * user's followed threads.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('messages').addColumn('reply_to_id', t.id).execute();
  await db.schema.alterTable('messages').addColumn('thread_root_id', t.id).execute();
  await db.schema.alterTable('messages').addColumn('thread_reply_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('messages').addColumn('thread_last_reply_at', t.timestamp).execute();
  await db.schema.alterTable('messages').addColumn('thread_last_reply_id', t.id).execute();
  await db.schema
    .createIndex('messages_thread')
    .on('messages')
    .columns(['thread_root_id', 'seq'])
    .where(sql.ref('thread_root_id'), 'is not', null)
    .execute();
  await db.schema
    .createTable('thread_reads')
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('message_id', t.id, (c) => c.notNull().references('messages.message_id').onDelete('cascade'))
    .addColumn('conversation_id', t.id, (c) => c.notNull())
    .addColumn('following', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('last_read_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('thread_reads_pk', ['user_id', 'message_id'])
    .execute();
}
