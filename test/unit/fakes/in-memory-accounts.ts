/** Users and sessions of the in-memory Store fake, with the SQL store's constraints and filters. */
import type { Scope, User } from '@pneumatic/protocol';
import { NEVER_EXPIRES } from '../../../src/domain/api-token.service.js';
import type {
  ApiTokenRecord,
  BotRecord,
  LoginRecord,
  NewUser,
  SessionRecord,
  SessionRepository,
  SessionUse,
  UserRepository,
  UserWithSecret,
} from '../../../src/domain/ports/repositories.js';
import { ConstraintViolation, toUser, type MemoryTables, type SessionRow } from './memory-tables.js';

export class InMemoryUserRepository implements UserRepository {
  constructor(private readonly tables: MemoryTables) {}

  /** Usernames are unique ignoring case (the username_key column). */
  async create(user: NewUser): Promise<User | null> {
    const key = user.username.toLowerCase();
    if ([...this.tables.users.values()].some((u) => u.username.toLowerCase() === key)) return null;
    if (this.tables.users.has(user.id)) throw new ConstraintViolation(`duplicate user id ${user.id}`);
    if (user.bot_owner_id !== undefined) this.tables.user(user.bot_owner_id);
    const row = { ...user, is_bot: user.bot_owner_id !== undefined, display_name: null, status_text: null, avatar_key: null, deactivated_at: null, last_user_seq: 0 };
    this.tables.users.set(user.id, row);
    return toUser(row);
  }

  async botsOf(ownerId: string): Promise<BotRecord[]> {
    return [...this.tables.users.values()]
      .filter((u) => u.bot_owner_id === ownerId)
      .sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
      .map((u) => ({ user: toUser(u), owner_id: ownerId }));
  }

  async ownedBot(botId: string, ownerId: string): Promise<BotRecord | null> {
    const row = this.tables.users.get(botId);
    return row && row.bot_owner_id === ownerId ? { user: toUser(row), owner_id: ownerId } : null;
  }

  /** Like the SQL UPDATE, a user that does not exist is no error: nothing is written. */
  async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
    const row = this.tables.users.get(userId);
    if (row) row.password_hash = passwordHash;
  }

  async passwordHashOf(userId: string): Promise<string | null> {
    const row = this.tables.users.get(userId);
    return row && !row.is_bot ? row.password_hash : null;
  }

  async findById(id: string): Promise<User | null> {
    const row = this.tables.users.get(id);
    return row ? toUser(row) : null;
  }

  async findByUsername(username: string): Promise<UserWithSecret | null> {
    const key = username.toLowerCase();
    const row = [...this.tables.users.values()].find((u) => u.username.toLowerCase() === key);
    return row ? { ...toUser(row), password_hash: row.password_hash } : null;
  }

  async existingIds(ids: readonly string[]): Promise<string[]> {
    return [...new Set(ids)].filter((id) => this.tables.users.has(id));
  }

  /** The fake has no deactivation: nobody is. */
  async deactivatedIds(): Promise<string[]> {
    return [];
  }

  async idsByUsernameKeys(keys: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(keys);
    return new Map([...this.tables.users.values()].filter((u) => wanted.has(u.username.toLowerCase())).map((u) => [u.username.toLowerCase(), u.id]));
  }
}

export class InMemorySessionRepository implements SessionRepository {
  constructor(private readonly tables: MemoryTables) {}

  async create(session: SessionRow): Promise<void> {
    this.tables.user(session.user_id);
    if (this.tables.sessions.has(session.id)) throw new ConstraintViolation(`duplicate session id ${session.id}`);
    this.tables.sessions.set(session.id, { ...session, ...(session.use ? { use: { ...session.use } } : {}) });
  }

  /** Timestamps are ISO 8601 UTC with milliseconds, so comparing the strings compares the instants. */
  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const row = [...this.tables.sessions.values()].find((s) => s.token_hash === tokenHash && s.expires_at > now);
    return row ? { id: row.id, user: toUser(this.tables.user(row.user_id)), expires_at: row.expires_at, scopes: row.token ? [...row.token.scopes] : null } : null;
  }

  /** Most recently used first (a login never used since it was made counts from its creation), then by id. */
  async listLogins(userId: string, now: string): Promise<LoginRecord[]> {
    return [...this.tables.sessions.values()]
      .filter((s) => s.user_id === userId && !s.token && s.expires_at > now)
      .map((s) => ({ id: s.id, created_at: s.created_at, expires_at: s.expires_at, last_used_at: s.use?.at ?? s.created_at, user_agent: s.use?.user_agent ?? null, ip: s.use?.ip ?? null }))
      .sort((a, b) => (a.last_used_at === b.last_used_at ? a.id.localeCompare(b.id) : a.last_used_at < b.last_used_at ? 1 : -1));
  }

  async revokeLogin(sessionId: string, userId: string): Promise<boolean> {
    const row = this.tables.sessions.get(sessionId);
    if (!row || row.user_id !== userId || row.token) return false;
    this.tables.sessions.delete(sessionId);
    return true;
  }

  async revokeOtherLogins(userId: string, keepId: string): Promise<string[]> {
    const ids = [...this.tables.sessions.values()].filter((s) => s.user_id === userId && !s.token && s.id !== keepId).map((s) => s.id);
    for (const id of ids) this.tables.sessions.delete(id);
    return ids;
  }

  /** Like the SQL UPDATE: any session (login or token), and none is no error. */
  async recordUse(sessionId: string, use: SessionUse): Promise<void> {
    const row = this.tables.sessions.get(sessionId);
    if (row) row.use = { ...use };
  }

  userChanged(): void {
    // Nothing cached: findActive reads the user's row each time.
  }

  async revoke(sessionId: string): Promise<void> {
    this.tables.sessions.delete(sessionId);
  }

  async revokeAllForUser(userId: string): Promise<string[]> {
    const ids = [...this.tables.sessions.values()].filter((s) => s.user_id === userId && !s.token).map((s) => s.id);
    for (const id of ids) this.tables.sessions.delete(id);
    return ids;
  }

  async revokeEverything(userIds: readonly string[]): Promise<Array<{ id: string; user_id: string }>> {
    const doomed = [...this.tables.sessions.values()].filter((s) => userIds.includes(s.user_id)).map((s) => ({ id: s.id, user_id: s.user_id }));
    for (const { id } of doomed) this.tables.sessions.delete(id);
    return doomed;
  }

  async listTokens(userId: string, now: string): Promise<ApiTokenRecord[]> {
    return [...this.tables.sessions.values()]
      .filter((s) => s.user_id === userId && s.token && s.expires_at > now)
      .sort((a, b) => (b.created_at === a.created_at ? b.id.localeCompare(a.id) : b.created_at.localeCompare(a.created_at)))
      .map((s) => ({ id: s.id, name: s.token!.name, scopes: [...s.token!.scopes] as Scope[], created_at: s.created_at, expires_at: s.expires_at === NEVER_EXPIRES ? null : s.expires_at }));
  }

  async revokeToken(tokenId: string, userId: string): Promise<boolean> {
    const row = this.tables.sessions.get(tokenId);
    if (!row || row.user_id !== userId || !row.token) return false;
    this.tables.sessions.delete(tokenId);
    return true;
  }
}
