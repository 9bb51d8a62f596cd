import { sql, type Kysely, type QueryResult, type RawBuilder } from 'kysely';
import { searchTermsOf } from '../../domain/profiles/search-terms.js';
import type { Dialect } from '../dialect.js';
import type { ColumnTypes } from './column-types.js';

/**
 * Profiles, the directory and login sessions' details (docs/API.md, "Profiles", "Finding
 * people", "Password and sessions").
 *
 * `users`: `display_name`, `status_text`, and `avatar_key`, the storage key of the avatar's
 * square WebP (`avatars/<random>.webp`: a new avatar gets a new key, so its URL can be cached
 * forever).
 *
 * `user_search_terms`: each user's folded search terms (domain/profiles/search-terms.ts), one
 * row each, with the user's `username_key` (usernames never change). A directory page is a
 * range scan of the primary key `(term, username_key)` from the query's prefix (or the cursor),
 * keeping each user at their first matching term. On PostgreSQL both columns use the "C"
 * collation, so index order is code-point order as on SQLite (a linguistic collation orders and
 * compares differently, and the index would not serve `term >= $1 AND term < $2` as a prefix).
 * `(user_id, term)` answers "is this the user's first matching term" from the index alone.
 *
 * `sessions`: `user_agent` and `ip` (the approximate network: IPv4 /24, IPv6 /48) of the last
 * use, and `last_used_at` (written at most every few minutes per session).
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes, dialect: Dialect): Promise<void> {
  await db.schema.alterTable('users').addColumn('display_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('status_text', 'text').execute();
  await db.schema.alterTable('users').addColumn('avatar_key', 'text').execute();

  const codePointText = dialect === 'postgres' ? sql`text collate "C"` : sql`text`;
  await db.schema
    .createTable('user_search_terms')
    .addColumn('term', codePointText, (c) => c.notNull())
    .addColumn('username_key', codePointText, (c) => c.notNull())
    .addColumn('user_id', t.id, (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addPrimaryKeyConstraint('user_search_terms_pk', ['term', 'username_key'])
    .execute();
  await db.schema.createIndex('user_search_terms_by_user').on('user_search_terms').columns(['user_id', 'term']).execute();

  // Existing users are found by their usernames (none has a display name yet).
  let after: string | null = null;
  for (;;) {
    const page: RawBuilder<unknown> = after === null ? sql`` : sql`where id > ${after}`;
    const users: QueryResult<{ id: string; username: string; username_key: string }> = await sql<{ id: string; username: string; username_key: string }>`select id, username, username_key from users ${page} order by id limit 1000`.execute(db);
    if (users.rows.length === 0) break;
    const rows = users.rows.flatMap((u: { id: string; username: string; username_key: string }) => searchTermsOf(u.username, null).map((term) => ({ term, username_key: u.username_key, user_id: u.id })));
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('user_search_terms' as never).values(rows.slice(i, i + 400) as never).execute();
    after = users.rows[users.rows.length - 1]!.id;
  }

  await db.schema.alterTable('sessions').addColumn('user_agent', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('ip', 'text').execute();
  await db.schema.alterTable('sessions').addColumn('last_used_at', t.timestamp).execute();
}
