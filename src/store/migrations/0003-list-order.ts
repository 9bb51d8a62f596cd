import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { ColumnTypes } from './column-types.js';

/**
 * An index that serves `GET /conversations`'s order (most recent activity first) without
 * joining and sorting all of a user's memberships on every page.
 *
 * Each member row carries the minute of its conversation's `last_activity_at`
 * (`activity_minute`), and `members (user_id, activity_minute desc)` yields a user's
 * conversations newest minute first; only the conversations within one minute are sorted by
 * the exact time (SQLite's partial ORDER BY, PostgreSQL's incremental sort), and the scan
 * stops once a page is full. The exact time itself is not copied: that would write every
 * member's row on every message, 1,000 rows per send in a room of 1,000. The minute is written
 * at most once a minute per conversation, whatever the rate of sends.
 *
 * Triggers keep it in step wherever `last_activity_at` changes (the sends of both databases,
 * in SQL of their own) and wherever a member row is inserted without it, so no code path can
 * forget it. Timestamps are ISO-8601 UTC text on SQLite ("2026-12-03T13:29:11.123Z": its
 * first 16 characters are the minute) and timestamptz on PostgreSQL.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('members').addColumn('activity_minute', t.timestamp).execute();
  if (dialect === 'sqlite') await sqliteTriggers(db);
  else await postgresTriggers(db);
  await db.schema
    .createIndex('members_user_activity')
    .on('members')
    .columns(['user_id', 'activity_minute desc'])
    .execute();
}

async function sqliteTriggers(db: Kysely<unknown>): Promise<void> {
  const minute = (column: string) => sql.raw(`substr(${column}, 1, 16) || ':00.000Z'`);
  await sql`update members set activity_minute = (select ${minute('c.last_activity_at')} from conversations c where c.id = members.conversation_id)`.execute(db);
  await sql`
    create trigger conversations_activity_minute after update of last_activity_at on conversations
    when substr(new.last_activity_at, 1, 16) is not substr(old.last_activity_at, 1, 16)
    begin
      update members set activity_minute = ${minute('new.last_activity_at')} where conversation_id = new.id;
    end`.execute(db);
  await sql`
    create trigger members_activity_minute after insert on members
    when new.activity_minute is null
    begin
      update members set activity_minute = (select ${minute('c.last_activity_at')} from conversations c where c.id = new.conversation_id)
       where conversation_id = new.conversation_id and user_id = new.user_id;
    end`.execute(db);
}

async function postgresTriggers(db: Kysely<unknown>): Promise<void> {
  // In UTC whatever the session's time zone, as the SQLite side and the cursors are.
  const minute = (column: string) => sql.raw(`date_trunc('minute', ${column} at time zone 'UTC') at time zone 'UTC'`);
  await sql`update members m set activity_minute = ${minute('c.last_activity_at')} from conversations c where c.id = m.conversation_id`.execute(db);
  await sql`
    create function pneumatic_conversation_activity_minute() returns trigger language plpgsql as $$
    begin
      update members set activity_minute = ${minute('new.last_activity_at')} where conversation_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger conversations_activity_minute after update of last_activity_at on conversations
    for each row when (${minute('old.last_activity_at')} is distinct from ${minute('new.last_activity_at')})
    execute function pneumatic_conversation_activity_minute()`.execute(db);
  await sql`
    create function pneumatic_member_activity_minute() returns trigger language plpgsql as $$
    begin
      select ${minute('c.last_activity_at')} into new.activity_minute from conversations c where c.id = new.conversation_id;
      return new;
    end $$`.execute(db);
  await sql`
    create trigger members_activity_minute before insert on members
    for each row when (new.activity_minute is null)
    execute function pneumatic_member_activity_minute()`.execute(db);
}
