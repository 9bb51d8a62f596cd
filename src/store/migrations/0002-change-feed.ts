import { sql, type Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * The change feed (docs/architecture.md, "The change feed"): a per-conversation event log with
 * gapless `event_seq`, each message's `version`, and each user's `user_seq`.
 *
 * Conversations that existed before have no logged events: their position starts at their
 * message count (each message counts as one event, `version` = `seq`) with everything up to it
 * marked as no longer kept, so a client that asks for older events gets a snapshot, not a gap.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('conversations').addColumn('last_event_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Events up to this position were removed by compaction (or predate the log): older positions get a snapshot.
  await db.schema.alterTable('conversations').addColumn('pruned_event_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('messages').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('last_user_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await sql`update conversations set last_event_seq = last_seq, pruned_event_seq = last_seq`.execute(db);
  await sql`update messages set version = seq`.execute(db);

  await db.schema
    .createTable('conversation_events')
    .addColumn('conversation_id', t.id, (c) => c.notNull().references('conversations.id').onDelete('cascade'))
    .addColumn('event_seq', 'integer', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('actor_id', t.id)
    // What the event changed: a message, or a member (user_id); neither for conversation.* events.
    .addColumn('message_id', t.id)
    .addColumn('user_id', t.id)
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('conversation_events_pk', ['conversation_id', 'event_seq'])
    .execute();
  // Compaction removes by age.
  await db.schema.createIndex('conversation_events_created_at').on('conversation_events').column('created_at').execute();
}
