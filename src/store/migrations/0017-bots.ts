import type { Kysely } from 'kysely';
import type { ColumnTypes } from './column-types.js';

/**
 * Bot accounts (docs/API.md, "Bots"): a bot is a user record like any other (it has a username,
 * is a member of conversations, sends messages), marked `is_bot` (0/1 on both databases), owned
 * by the user who created it (`bot_owner_id`), with no password: it authenticates only with API
 * tokens its owner creates for it. Existing users are people. `users_by_bot_owner` serves an
 * owner's list of bots. Constant defaults and a nullable column rewrite no table.
 */
export async function up(db: Kysely<unknown>, t: ColumnTypes): Promise<void> {
  await db.schema.alterTable('users').addColumn('is_bot', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('bot_owner_id', t.id).execute();
  await db.schema.createIndex('users_by_bot_owner').on('users').column('bot_owner_id').execute();
}
