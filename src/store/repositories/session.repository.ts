import { SCOPES, type Scope } from '@pneumatic/protocol';
import type { Kysely } from 'kysely';
import { NEVER_EXPIRES } from '../../domain/api-token.service.js';
import type { ApiTokenRecord, NewSession, SessionRecord, SessionRepository } from '../../domain/ports/repositories.js';
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
    const { token, ...row } = session;
    await this.db
      .insertInto('sessions')
      .values({ ...row, kind: token ? 'token' : 'login', name: token?.name ?? null, scopes: token ? token.scopes.join(' ') : null })
      .execute();
  }

  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.expires_at', 'sessions.scopes', 'users.id', 'users.username', 'users.created_at', 'users.is_bot'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
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
