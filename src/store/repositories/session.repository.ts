import type { Kysely } from 'kysely';
import type { SessionRecord, SessionRepository } from '../../domain/ports/repositories.js';
import { toIso, toUser } from '../rows.js';
import type { Database } from '../schema.js';

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(session: { id: string; token_hash: string; user_id: string; created_at: string; expires_at: string }): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select(['sessions.id as session_id', 'sessions.expires_at', 'users.id', 'users.username', 'users.created_at'])
      .where('sessions.token_hash', '=', tokenHash)
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    return row ? { id: row.session_id, user: toUser(row), expires_at: toIso(row.expires_at) } : null;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', sessionId).execute();
  }

  async revokeAllForUser(userId: string): Promise<string[]> {
    const rows = await this.db.deleteFrom('sessions').where('user_id', '=', userId).returning('id').execute();
    return rows.map((r) => r.id);
  }
}
