import type { Kysely } from 'kysely';

/**
 * Drops `members_user_id` (0001): `members (user_id, activity_minute desc)` (0003) starts with
 * the same column, so every lookup of a user's memberships by `user_id` alone (the change
 * feed's and `/sync`'s positions, the deletion of a user's rows) uses that index instead, as
 * EXPLAIN shows on both databases. The older one only cost writes: every member row inserted
 * or deleted, and on PostgreSQL every row update that is not HOT, such as the activity minute's.
 * An index holds no data of its own: nothing is lost.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('members_user_id').execute();
}
