import { SCOPES, type Scope } from '@pneumatic/protocol';
import type { Kysely } from 'kysely';
import { NEVER_EXPIRES } from '../../domain/api-token.service.js';
import type { ApiTokenRecord, LoginRecord, NewSession, SessionRecord, SessionRepository, SessionUse } from '../../domain/ports/repositories.js';
import { toIso, toUser } from '../rows.js';
import type { Database } from '../schema.js';

/** Scopes as stored (space-separated), keeping only names this server knows. */
function scopesOf(stored: string | null): Scope[] | null {
  if (stored === null) return null;
  return stored.split(' ').filter((name): name is Scope => (SCOPES as readonly string[]).includes(name));
}

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: NewSession): Promise<void> {
    const { token, use, ...row } = session;
    await this.db
      .insertInto('sessions')
      .values({
        ...row,
        kind: token ? 'token' : 'login',
        name: token?.name ?? null,
        scopes: token ? token.scopes.join(' ') : null,
        user_agent: use?.user_agent ?? null,
        ip: use?.ip ?? null,
        last_used_at: use?.at ?? null,
      })
      .execute();
  }

  async listLogins(userId: string, now: string): Promise<LoginRecord[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['id', 'created_at', 'expires_at', 'last_used_at', 'user_agent', 'ip'])
      .where('user_id', '=', userId)
      .where('kind', '=', 'login')
      .where('expires_at', '>', now)
      .execute();
    const logins = rows.map((row) => ({
      id: row.id,
      created_at: toIso(row.created_at),
      expires_at: toIso(row.expires_at),
      last_used_at: toIso(row.last_used_at ?? row.created_at),
      user_agent: row.user_agent,
      ip: row.ip,
    }));
    return logins.sort((a, b) => (a.last_used_at === b.last_used_at ? a.id.localeCompare(b.id) : a.last_used_at < b.last_used_at ? 1 : -1));
  }

  async revokeLogin(sessionId: string, userId: string): Promise<boolean> {
    const rows = await this.db.deleteFrom('sessions').where('id', '=', sessionId).where('user_id', '=', userId).where('kind', '=', 'login').returning('id').execute();
    return rows.length > 0;
  }

  async revokeOtherLogins(userId: string, keepId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('kind', '=', 'login').where('id', '!=', keepId).returning('id').execute();
    return rows.map((r) => r.id);
  }

  async recordUse(sessionId: string, use: SessionUse): Promise<void> {
    await this.db.updateTable('sessions').set({ last_used_at: use.at, user_agent: use.user_agent, ip: use.ip }).where('id', '=', sessionId).execute();
  }

  userChanged(): void {
    // Nothing cached here.
  }

  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.scopes', 'users.id', 'users.username', 'users.created_at', 'users.is_bot', 'users.display_name', 'users.status_text', 'users.avatar_key', 'users.deactivated_at'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      // A deactivated account's tokens are deleted as it is deactivated; this covers a token made in the same instant.
      .where('users.deactivated_at', 'is', null)
      .executeTakeFirst();
    return row ? { id: row.session_id, user: toUser(row), expires_at: toIso(row.expires_at), scopes: scopesOf(row.scopes) } : null;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  async revokeAllForUser(userId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('sessions').where('user_id', '=', userId).where('kind', '=', 'login').returning('id').execute();
    return rows.map((r) => r.id);
  }

  async revokeEverything(userIds: readonly string[]): Promise<Array<{ id: string; user_id: string }>> {
    if (userIds.length === 0) return [];
    return this.db.deleteFrom('sessions').where('user_id', 'in', userIds).returning(['id', 'user_id']).execute();
  }

  async listTokens(userId: string, now: string): Promise<ApiTokenRecord[]> {
    const rows = await this.db
      .selectFrom('sessions')
      .select(['id', 'name', 'scopes', 'created_at', 'expires_at'])
      .where('user_id', '=', userId)
      .where('kind', '=', 'token')
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    return rows.map((row) => {
      const expiresAt = toIso(row.expires_at);
      return {
        id: row.id,
        name: row.name ?? '',
        scopes: scopesOf(row.scopes) ?? [],
        created_at: toIso(row.created_at),
        expires_at: expiresAt === NEVER_EXPIRES ? null : expiresAt,
      };
    });
  }

  async revokeToken(tokenId: string, userId: string): Promise<boolean> {
    const rows = await this.db
      .deleteFrom('sessions')
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('kind', '=', 'token')
      .returning('id')
      .execute();
    return rows.length > 0;
  }
}
