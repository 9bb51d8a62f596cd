import { sql, type Kysely } from 'kysely';
import type { PresenceRepository } from '../../domain/ports/presence.js';
import type { Dialect } from '../dialect.js';
import { toIso } from '../rows.js';
import type { Database } from '../schema.js';

/** Rows of one last-seen statement (PostgreSQL) or transaction (SQLite). */
const LAST_SEEN_BATCH = 500;

/** Presence's storage (docs/architecture.md, "Presence"): common memberships and `users.last_seen_at`. */
export class KyselyPresenceRepository implements PresenceRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  /** One statement: the caller's memberships (members by user_id) joined to the others' (the primary key). */
  async sharingConversation(userId: string, otherIds: readonly string[]): Promise<Set<string>> {
    if (otherIds.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('members as mine')
      .innerJoin('members as theirs', 'theirs.conversation_id', 'mine.conversation_id')
      .select('theirs.user_id')
      .distinct()
      .where('mine.user_id', '=', userId)
      .where('theirs.user_id', 'in', otherIds)
      .execute();
    return new Set(rows.map((r) => r.user_id));
  }

  async lastSeen(userIds: readonly string[]): Promise<Map<string, number>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'last_seen_at'])
      .where('id', 'in', userIds)
      .where('last_seen_at', 'is not', null)
      .execute();
    return new Map(rows.map((r) => [r.id, Date.parse(toIso(r.last_seen_at!))]));
  }

  async recordLastSeen(entries: ReadonlyMap<string, number>): Promise<void> {
    // By id: every writer of users rows locks them in id order, so two batches never deadlock.
    const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (let i = 0; i < sorted.length; i += LAST_SEEN_BATCH) {
      const batch = sorted.slice(i, i + LAST_SEEN_BATCH).map(([id, at]): [string, string] => [id, new Date(at).toISOString()]);
      if (this.dialect === 'postgres') await this.recordPostgres(batch);
      else await this.recordSqlite(batch);
    }
  }

  /**
   * One statement: the rows locked in id order first (a materialized CTE, so before the update
   * touches any), then raised where older. A user deleted meanwhile is simply not updated.
   */
  private async recordPostgres(batch: Array<[string, string]>): Promise<void> {
    const ids = batch.map(([id]) => id);
    const ats = batch.map(([, at]) => at);
    await sql`
      with locked as materialized (select id from users where id = any(${ids}::uuid[]) order by id for no key update),
           seen as (select * from unnest(${ids}::uuid[], ${ats}::timestamptz[]) as s(id, at))
      update users u set last_seen_at = seen.at
        from seen join locked on locked.id = seen.id
       where u.id = seen.id and (u.last_seen_at is null or u.last_seen_at < seen.at)`.execute(this.db);
  }

  /** One transaction (one commit, one fsync) for the batch; ISO texts of one format compare as times. */
  private async recordSqlite(batch: Array<[string, string]>): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      for (const [id, at] of batch) {
        await trx
          .updateTable('users')
          .set({ last_seen_at: at })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', at)]))
          .execute();
      }
    });
  }
}
