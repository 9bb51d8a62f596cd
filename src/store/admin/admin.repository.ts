/**
 * Server roles and deactivation (docs/API.md, "Administration"). The rule that the server keeps
 * an active admin is checked in the same transaction as the change. On PostgreSQL every such
 * change first takes one transaction-scoped advisory lock, so two admins demoting each other at
 * once cannot both succeed (SQLite: the transaction takes the write lock first, one at a time).
 */
import type { AdminUser, ServerRole } from '@pneumatic/protocol';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { AdminChange, AdminRepository, AdminUserFilter } from '../../domain/ports/admin-repository.js';
import type { Dialect } from '../dialect.js';
import { USER_COLUMNS, serverRoleOf, toIsoOrNull, toUser, type UserRow } from '../rows.js';
import type { Database } from '../schema.js';

/** The advisory lock key of role and deactivation changes (any fixed number; "pneu" in ASCII). */
const ROLE_CHANGE_LOCK = 0x706e6575;

const ADMIN_USER_COLUMNS = [...USER_COLUMNS, 'server_role', 'bot_owner_id'] as const;

type AdminUserRow = UserRow & { server_role: string; bot_owner_id: string | null };

function toAdminUser(row: AdminUserRow): AdminUser {
  return { ...toUser(row), role: serverRoleOf(row.server_role), deactivated_at: toIsoOrNull(row.deactivated_at), bot_owner_id: row.bot_owner_id };
}

/** `%` and `_` match themselves in a prefix search. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class KyselyAdminRepository implements AdminRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
  ) {}

  async listUsers(filter: AdminUserFilter): Promise<AdminUser[]> {
    let query = this.db.selectFrom('users').select(ADMIN_USER_COLUMNS);
    if (filter.prefix) query = query.where(sql<boolean>`username_key like ${likePrefix(filter.prefix)} escape '\\'`);
    if (filter.role) query = query.where('server_role', '=', filter.role);
    if (filter.deactivated !== undefined) query = query.where('deactivated_at', filter.deactivated ? 'is not' : 'is', null);
    if (filter.after !== undefined) query = query.where('username_key', '>', filter.after);
    const rows = await query.orderBy('username_key').limit(filter.limit).execute();
    return rows.map(toAdminUser);
  }

  async findUser(id: string): Promise<AdminUser | null> {
    const row = await this.db.selectFrom('users').select(ADMIN_USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toAdminUser(row) : null;
  }

  async findUserByUsername(username: string): Promise<AdminUser | null> {
    const row = await this.db.selectFrom('users').select(ADMIN_USER_COLUMNS).where('username_key', '=', username.toLowerCase()).executeTakeFirst();
    return row ? toAdminUser(row) : null;
  }

  setRole(userId: string, role: ServerRole): Promise<AdminChange> {
    return this.change(userId, (user) => user.role !== role, { server_role: role }, (user) => user.role === 'admin' && role !== 'admin');
  }

  setDeactivated(userId: string, at: string | null): Promise<AdminChange> {
    return this.change(userId, (user) => (user.deactivated_at === null) !== (at === null), { deactivated_at: at }, (user) => at !== null && user.role === 'admin');
  }

  async botIdsOf(ownerId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('users').select('id').where('bot_owner_id', '=', ownerId).execute();
    return rows.map((r) => r.id);
  }

  /**
   * Applies `update` when `differs`; when `removesAnAdmin`, only if another active admin stays.
   * A deactivated admin does not count: nobody could use their role.
   */
  private change(
    userId: string,
    differs: (user: AdminUser) => boolean,
    update: { server_role?: string; deactivated_at?: string | null },
    removesAnAdmin: (user: AdminUser) => boolean,
  ): Promise<AdminChange> {
    return this.db.transaction().execute(async (trx) => {
      if (this.dialect === 'postgres') await sql`select pg_advisory_xact_lock(${ROLE_CHANGE_LOCK})`.execute(trx);
      // SQLite: a write first takes the database's write lock (waiting up to busy_timeout), so a
      // read below cannot go stale before the update, which would fail the commit as busy.
      else await trx.updateTable('users').set({ server_role: sql`server_role` }).where('id', '=', userId).execute();
      const before = await this.userIn(trx, userId);
      if (!before) return null;
      if (!differs(before)) return { outcome: 'unchanged', before, after: before };
      if (removesAnAdmin(before) && before.deactivated_at === null && (await this.otherActiveAdmins(trx, userId)) === 0) {
        return { outcome: 'last_admin' };
      }
      await trx.updateTable('users').set(update).where('id', '=', userId).execute();
      const after = await this.userIn(trx, userId);
      return after ? { outcome: 'changed', before, after } : null;
    });
  }

  private async userIn(trx: Transaction<Database>, userId: string): Promise<AdminUser | null> {
    const row = await trx.selectFrom('users').select(ADMIN_USER_COLUMNS).where('id', '=', userId).executeTakeFirst();
    return row ? toAdminUser(row) : null;
  }

  private async otherActiveAdmins(trx: Transaction<Database>, userId: string): Promise<number> {
    const rows = await trx.selectFrom('users').select('id').where('server_role', '=', 'admin').where('deactivated_at', 'is', null).where('id', '<>', userId).execute();
    return rows.length;
  }
}
