import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Invite links (docs/API.md, "Registration and invites"): with REGISTRATION=invite, POST /users
 * needs the code of one. Only the SHA-256 of the code is kept (`token_hash`, unique: a sign-up
 * looks it up by that). `uses` counts the accounts made with it, up to `max_uses`; a sign-up
 * claims a use with one conditional update, so concurrent sign-ups never exceed it. Revoking
 * deletes the row; deleting the user who made it deletes their invites.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema
    .createTable('invites')
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', t.timestamp, (c) => c.notNull())
    .addColumn('expires_at', t.timestamp, (c) => c.notNull())
    .addColumn('max_uses', 'integer', (c) => c.notNull())
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('invites_by_creator').on('invites').columns(['created_by', 'created_at']).execute();
}
