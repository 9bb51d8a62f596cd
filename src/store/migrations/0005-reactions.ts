import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Reactions (docs/API.md, "Reactions"): one row per message, emoji and user, so a repeated
 * reaction is the same row (the primary key makes adding idempotent under any concurrency).
 * The key starts with message_id, which serves every read: a message's counts, its reactors,
 * the caller's own. Removed with their message (ON DELETE CASCADE; a message marked deleted has
 * its reactions removed in the same transaction by the store), or with their user.
 *
 * The change feed logs `reaction.added` / `reaction.removed` with the emoji, in a new column
 * (null for every other kind of event). Messages count their reactions (`reaction_count`).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('reactions')
    .addColumn('message_id', t.id, (c) => c.notNull().references('messages.message_id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('emoji', 'text', (c) => c.notNull())
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('reactions_pk', ['message_id', 'emoji', 'user_id'])
    .execute();
  await db.schema.alterTable('conversation_events').addColumn('emoji', 'text').execute();
  // Most messages have no reactions: with this count, a history page skips their lookup (it
  // made a page half as dear again). Adding a column with a constant default rewrites nothing.
  await db.schema.alterTable('messages').addColumn('reaction_count', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
