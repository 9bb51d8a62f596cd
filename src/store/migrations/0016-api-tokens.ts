import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * API tokens (docs/API.md, "API tokens and scopes") are sessions of another kind: one row per
 * bearer token, looked up by the hash of its secret as a login's is, so authenticating either
 * is the same single read and revoking either closes its sockets the same way.
 *
 * `kind`: 'login' (POST /sessions, POST /users) or 'token' (POST /tokens). Existing rows are
 * logins. `name`: a token's, null for logins. `scopes`: a token's scopes separated by spaces
 * (as OAuth writes them), null for logins, which hold every scope. A token that never expires
 * keeps `expires_at` NOT NULL with a date far in the future (NEVER_EXPIRES in the store), so
 * the expiry check stays one comparison. Adding columns with constant defaults rewrites no
 * table on either database.
 */
export async function up(db: Kysely<unknown>, _t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('kind', 'text', (c) => c.notNull().defaultTo('login')).execute();
  await db.schema.alterTable('sessions').addColumn('name', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('scopes', 'text').execute();
}
