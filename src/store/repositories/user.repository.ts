import type { Kysely, Transaction } from 'kysely';
import type { BotRecord, NewUser, UserRepository, UserWithSecret } from '../../domain/ports/repositories.js';
import type { User } from '@pneumatic/protocol';
import { searchTermsOf } from '../../domain/profiles/search-terms.js';
import { USER_COLUMNS, toUser } from '../rows.js';
import type { Database } from '../schema.js';

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user and their directory terms (migration 0020) in one transaction. */
  async create(user: NewUser): Promise<User | null> {
    return this.db.transaction().execute((trx) => insertUser(trx, user));
  }

  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    await this.db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
  }

  async passwordHashOf(userId: string): Promise<string | null> {
    const row = await this.db.selectFrom('users').select('password_hash').where('id', '=', userId).where('is_bot', '=', 0).executeTakeFirst();
    return row?.password_hash ?? null;
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

  async deactivatedIds(ids: readonly string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.db.selectFrom('users').select('id').where('id', 'in', ids).where('deactivated_at', 'is not', null).execute();
    return rows.map((r) => r.id);
  }

  /** Served by the unique username_key index; `keys` are at most MENTION_NAMES_MAX × 2. */
  async idsByUsernameKeys(keys: readonly string[]): Promise<Map<string, string>> {
    if (keys.length === 0) return new Map();
    const rows = await this.db.selectFrom('users').select(['id', 'username_key']).where('username_key', 'in', keys).execute();
    return new Map(rows.map((r) => [r.username_key, r.id]));
  }
}

/** Inserts the user and their directory terms in the caller's transaction; null when the username is taken (ignoring case). */
export async function insertUser(trx: Transaction<Database>, user: NewUser): Promise<User | null> {
  const { display_name: displayName = null, bot_owner_id: botOwnerId, ...fields } = user;
  const inserted = await trx
    .insertInto('users')
    .values({ ...fields, display_name: displayName, username_key: user.username.toLowerCase(), is_bot: botOwnerId === undefined ? 0 : 1, bot_owner_id: botOwnerId ?? null })
    .onConflict((oc) => oc.column('username_key').doNothing())
    .returning(USER_COLUMNS)
    .executeTakeFirst();
  if (!inserted) return null;
  const terms = searchTermsOf(user.username, displayName);
  await trx.insertInto('user_search_terms').values(terms.map((term) => ({ term, username_key: user.username.toLowerCase(), user_id: user.id }))).execute();
  return toUser(inserted);
}
