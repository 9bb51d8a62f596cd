import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Incoming webhooks (docs/API.md, "Incoming webhooks"): one row per secret URL, which posts into
 * `conversation_id` as the bot `bot_user_id`. Only the SHA-256 of the secret is kept
 * (`token_hash`, unique: a post is one indexed lookup by it, which tells nothing about how close
 * a wrong secret came). Deleting the conversation deletes its webhooks.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('incoming_webhooks')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('bot_user_id', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', t.id, (c) => c.notNull().references('users.id'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('incoming_webhooks_by_conversation').on('incoming_webhooks').columns(['conversation_id', 'created_at']).execute();
}
