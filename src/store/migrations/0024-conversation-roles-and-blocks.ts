import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';
import type { ColumnTypes } from './column-types.js';

const OLD_CHECK = /check\s*\(\s*"?role"?\s+in\s*\(\s*'owner'\s*,\s*'member'\s*\)\s*\)/i;
const NEW_CHECK = "check (role in ('owner', 'admin', 'member'))";

/**
 * Conversation roles and blocking (docs/API.md, "Conversation roles", "Blocking").
 *
 * `members.role` may now also be 'admin'. PostgreSQL replaces the column's check constraint.
 * SQLite cannot alter a constraint, so the table is rebuilt under its own name: the new table
 * from the stored definition with the wider check, the rows copied, the old table dropped (with
 * its indexes and triggers), the new one renamed and the indexes and triggers made again from
 * their stored text. `legacy_alter_table` keeps the rename from reparsing the triggers of other
 * tables that name `members` while it briefly does not exist. All of it in the migration's
 * transaction: a failure leaves the old table as it was.
 *
 * `blocks`: who blocked whom; the blocked user's side is indexed for "does anyone here block
 * this sender?".
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes, dialect: Dialect): Promise<void> {
  if (dialect === 'postgres') {
    await sql`alter table members drop constraint members_role_check`.execute(db);
    await sql.raw(`alter table members add constraint members_role_check ${NEW_CHECK}`).execute(db);
  } else {
    await rebuildSqliteMembers(db);
  }

  await db.schema
    .createTable('blocks')
    .addColumn('blocker_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('blocked_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addPrimaryKeyConstraint('blocks_pk', ['blocker_id', 'blocked_id'])
    .execute();
  await db.schema.createIndex('blocks_blocked').on('blocks').columns(['blocked_id', 'blocker_id']).execute();
}

interface SchemaRow {
  type: string;
  name: string;
  sql: string | null;
}

async function rebuildSqliteMembers(db: Kysely<unknown>): Promise<void> {
  const rows = (await sql<SchemaRow>`select type, name, sql from sqlite_schema where tbl_name = 'members'`.execute(db)).rows;
  const table = rows.find((r) => r.type === 'table');
  if (!table?.sql || !OLD_CHECK.test(table.sql)) throw new Error('members: the stored definition does not hold the expected role check');
  const rebuilt = table.sql.replace(OLD_CHECK, NEW_CHECK).replace(/^create table\s+"?members"?/i, 'create table "members_rebuilt"');
  // Indexes an index's own constraint made (sqlite_autoindex_…) have no text and come back with the table.
  const dependents = rows.filter((r) => r.type !== 'table' && r.sql !== null);
  await sql.raw(rebuilt).execute(db);
  await sql`insert into members_rebuilt select * from members`.execute(db);
  await sql`drop table members`.execute(db);
  await sql`pragma legacy_alter_table = on`.execute(db);
  await sql`alter table members_rebuilt rename to members`.execute(db);
  await sql`pragma legacy_alter_table = off`.execute(db);
  for (const dependent of dependents) await sql.raw(dependent.sql as string).execute(db);
}
