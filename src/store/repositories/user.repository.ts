import type { Kysely } from 'kysely';
import type { UserRepository, UserWithSecret } from '../../domain/ports/repositories.js';
import type { User } from '@pneumatic/protocol';
import { toUser } from '../rows.js';
import type { Database } from '../schema.js';

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: UserWithSecret): Promise<User | null> {
    const inserted = await this.db
      .insertInto('users')
      .values({ ...user, username_key: user.username.toLowerCase() })
      .onConflict((oc) => oc.column('username_key').doNothing())
      .returning(['id', 'username', 'created_at'])
      .executeTakeFirst();
    return inserted ? toUser(inserted) : null;
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').select(['id', 'username', 'created_at']).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<UserWithSecret | null> {
    const row = await this.db
      .selectFrom('users')
      .select(['id', 'username', 'created_at', 'password_hash'])
      .where('username_key', '=', username.toLowerCase())
      .executeTakeFirst();
    return row ? { ...toUser(row), password_hash: row.password_hash } : null;
  }

  async existingIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').select('id').where('id', 'in', ids).execute();
    return rows.map((r) => r.id);
  }

  /** Served by the unique username_key index; `keys` are at most MENTION_NAMES_MAX × 2. */
  async idsByUsernameKeys(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'username_key']).where('username_key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.username_key, r.id]));
  }
}
