import type { Kysely } from 'kysely';
import type { BotRecord, NewUser, UserRepository, UserWithSecret } from '../../domain/ports/repositories.js';
import type { User } from '@pneumatic/protocol';
import { toUser } from '../rows.js';
import type { Database } from '../schema.js';

const USER_COLUMNS = ['id', 'username', 'created_at', 'is_bot'] as const;

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(user: NewUser): Promise<User | null> {
    const inserted = await this.db
      .insertInto('users')
      .values({ ...user, username_key: user.username.toLowerCase(), is_bot: user.bot_owner_id === undefined ? 0 : 1, bot_owner_id: user.bot_owner_id ?? null })
      .onConflict((oc) => oc.column('username_key').doNothing())
      .returning(USER_COLUMNS)
      .executeTakeFirst();
    return inserted ? toUser(inserted) : null;
  }

  async findById(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<UserWithSecret | null> {
    const row = await this.db
      .selectFrom('users')
      .select([...USER_COLUMNS, 'password_hash'])
      .where('username_key', '=', username.toLowerCase())
      .executeTakeFirst();
    return row ? { ...toUser(row), password_hash: row.password_hash } : null;
  }

  async botsOf(ownerId: string): Promise<BotRecord[]> {
    const rows = await this.db.selectFrom('users').select(USER_COLUMNS).where('bot_owner_id', '=', ownerId).orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => ({ user: toUser(row), owner_id: ownerId }));
  }

  async ownedBot(botId: string, ownerId: string): Promise<BotRecord | null> {
    const row = await this.db.selectFrom('users').select(USER_COLUMNS).where('id', '=', botId).where('bot_owner_id', '=', ownerId).executeTakeFirst();
    return row ? { user: toUser(row), owner_id: ownerId } : null;
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
