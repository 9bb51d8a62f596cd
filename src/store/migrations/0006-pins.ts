import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Pins (docs/API.md, "Pins"): one row per pinned message of a conversation, so pinning twice
 * is the same row (the primary key makes it idempotent under any concurrency). The key starts
 * with conversation_id, which serves every read: the list, the count under the cap, a snapshot.
 * `event_seq` is the pin's event: the list's order, newest first (pinned_at is a clock reading
 * taken before the commit, so two pins in the same millisecond would tie). Removed with their
 * message (ON DELETE CASCADE; a message marked deleted has its pin removed in the same
 * transaction by the store). Message itself is unchanged: history pages need no join.
 *
 * The change feed logs message.pinned / message.unpinned with the columns it has (message_id,
 * and user_id for who): no new column there.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('pins')
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('message_id', t.id, (c) => c.notNull().references('messages.message_id').onDelete('cascade'))
    .addColumn('pinned_by', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('pinned_at', t.timestamp, (c) => c.notNull())
    .addColumn('event_seq', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('pins_pk', ['conversation_id', 'message_id'])
    .execute();
}
