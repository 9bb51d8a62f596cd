/** Blocks (migration 0024): one row per blocker and blocked user. */
import type { Block } from '@pneumatic/protocol';
import { sql, type Kysely } from 'kysely';
import type { BlockRepository } from '../../domain/ports/block-repository.js';
import { toIso, toUser, USER_COLUMNS } from '../rows.js';
import type { Database } from '../schema.js';

/** Long lists of ids are asked in slices, below either database's limit of bound parameters. */
const IDS_PER_QUERY = 500;

export class KyselyBlockRepository implements BlockRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async block(blockerId: string, blockedId: string, at: string, max: number): Promise<'blocked' | 'already' | 'too_many'> {
    return this.db.transaction().execute(async (trx) => {
      // A write first: on SQLite it takes the write lock before anything is read (a read first
      // would make the transaction fail with SQLITE_BUSY_SNAPSHOT when another write commits in
      // between), on PostgreSQL the user's row lock; either keeps two concurrent blocks from
      // both passing the count.
      await trx.updateTable('users').set({ server_role: sql`server_role` }).where('id', '=', blockerId).execute();
      const existing = await trx.selectFrom('blocks').select('blocker_id').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).executeTakeFirst();
      if (existing) return 'already';
      const { count } = await trx.selectFrom('blocks').select((eb) => eb.fn.countAll<number>().as('count')).where('blocker_id', '=', blockerId).executeTakeFirstOrThrow();
      if (Number(count) >= max) return 'too_many';
      const inserted = await trx
        .insertInto('blocks')
        .values({ blocker_id: blockerId, blocked_id: blockedId, created_at: at })
        .onConflict((oc) => oc.columns(['blocker_id', 'blocked_id']).doNothing())
        .returning('blocker_id')
        .executeTakeFirst();
      return inserted ? 'blocked' : 'already';
    });
  }

  async unblock(blockerId: string, blockedId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('blocks').where('blocker_id', '=', blockerId).where('blocked_id', '=', blockedId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async list(blockerId: string): Promise<Block[]> {
    const rows = await this.db
      .selectFrom('blocks')
      .innerJoin('users', 'users.id', 'blocks.blocked_id')
      .select([...USER_COLUMNS.map((c) => `users.${c}` as const), 'blocks.created_at as blocked_at'])
      .where('blocks.blocker_id', '=', blockerId)
      .orderBy('blocks.created_at', 'desc')
      .orderBy('blocks.blocked_id')
      .execute();
    return rows.map((row) => ({ user: toUser(row), created_at: toIso(row.blocked_at) }));
  }

  async blockersAmong(blockedId: string, userIds: readonly string[]): Promise<string[]> {
    const found: string[] = [];
    for (let i = 0; i < userIds.length; i += IDS_PER_QUERY) {
      const rows = await this.db
        .selectFrom('blocks')
        .select('blocker_id')
        .where('blocked_id', '=', blockedId)
        .where('blocker_id', 'in', userIds.slice(i, i + IDS_PER_QUERY))
        .execute();
      found.push(...rows.map((r) => r.blocker_id));
    }
    return found;
  }

  async blocksOf(blockedIds: readonly string[]): Promise<{ blocker_id: string; blocked_id: string }[]> {
    const found: { blocker_id: string; blocked_id: string }[] = [];
    for (let i = 0; i < blockedIds.length; i += IDS_PER_QUERY) {
      found.push(...(await this.db.selectFrom('blocks').select(['blocker_id', 'blocked_id']).where('blocked_id', 'in', blockedIds.slice(i, i + IDS_PER_QUERY)).execute()));
    }
    return found;
  }
}
