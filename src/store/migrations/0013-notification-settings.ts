import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Notification settings (docs/API.md, "Notification settings"): what notifies a user, never what
 * counts as unread. Two tables of their own, so the hot ones (members, messages) keep their rows
 * and a send reads these only where push needs them.
 *
 * `notification_defaults`: one row per user who changed a default; a user without one has the
 * built-in defaults (level `all`, a direct mention breaks a mute, previews shown), so no row is
 * written at sign-up and no existing user needs one. Booleans are 0/1 integers on both databases.
 *
 * `conversation_notifications`: one row per (conversation, user) with an override: `level` null
 * follows the user's default, `muted_until` null is not muted. A row with both null is deleted
 * rather than kept. The key starts with conversation_id: the per-message read (`effectiveFor`,
 * the recipients of one conversation) is one range of it; `by_user` serves a user's list. The
 * store deletes a member's row in the transaction that removes them from the conversation, so a
 * user who joins again starts from their defaults, as every device then shows.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('notification_defaults')
    .addColumn('user_id', t.id, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    .addColumn('level', 'text', (c) => c.notNull().defaultTo('all'))
    .addColumn('mention_breaks_mute', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('previews', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createTable('conversation_notifications')
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('level', 'text')
    .addColumn('muted_until', t.timestamp)
    .addPrimaryKeyConstraint('conversation_notifications_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema.createIndex('conversation_notifications_by_user').on('conversation_notifications').columns(['user_id']).execute();
}
