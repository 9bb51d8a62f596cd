import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Presence (docs/API.md, "Presence"): `users.last_seen_at`, when the user was last online. The
 * live status is not stored (it lives in memory, or in Redis with several processes); this
 * column keeps what an offline user shows, across restarts. Null: never seen since. Adding a
 * nullable column rewrites nothing, on either database.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('users').addColumn('last_seen_at', t.timestamp).execute();
}
