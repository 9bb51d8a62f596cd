import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Mentions (docs/API.md, "Mentions"). A message keeps whom it mentions as it is sent on the wire
 * (`mentions`, a JSON array text, and `mentions_all`), so history pages write it with no lookup;
 * the constant defaults rewrite no existing row.
 *
 * `mention_marks` is what `unread_mentions` counts: one row per member a message mentions by
 * name (never its sender), or one row with a null user_id for `@all` (counted by every member
 * but the sender; the named marks of such a message are not written, they would count twice).
 * So a message writes at most MENTION_NAMES_MAX marks, however large the conversation. The
 * marks are written in the send's or edit's transaction, replaced by an edit and removed when
 * the message is deleted. (conversation_id, user_id, seq) serves the count: per conversation,
 * the marks of the user and of everyone above the read position, never the messages; (conversation_id, seq)
 * serves the replacement and removal of one message's marks.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('messages').addColumn('mentions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('messages').addColumn('mentions_all', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('mention_marks')
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('user_id', t.id)
    .addColumn('sender_id', t.id, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('mention_marks_by_user').on('mention_marks').columns(['conversation_id', 'user_id', 'seq']).execute();
  await db.schema.createIndex('mention_marks_by_message').on('mention_marks').columns(['conversation_id', 'seq']).execute();
}
