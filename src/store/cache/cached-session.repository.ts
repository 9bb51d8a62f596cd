import type { SessionRecord, SessionRepository } from '../../domain/ports/repositories.js';
import { BoundedMap } from './bounded-map.js';

/**
 * Remembers live sessions by token hash, so authenticating a request costs no query. Only for a
 * single process: logout goes through this object and forgets the session in the same step, so
 * a revoked token stops working at once. Expiry is checked on every use.
 */
export class CachedSessionRepository implements SessionRepository {
  private readonly byTokenHash = new BoundedMap<string, SessionRecord>(50_000);
  /** Bumped by every revocation, so a lookup that raced with one is not cached. */
  private revocations = 0;

  constructor(private readonly inner: SessionRepository) {}

  create(session: Parameters<SessionRepository['create']>[0]): Promise<void> {
    return this.inner.create(session);
  }

  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const cached = this.byTokenHash.get(tokenHash);
    if (cached) {
      if (cached.expires_at > now) return cached;
      this.byTokenHash.delete(tokenHash);
      return null;
    }
    const before = this.revocations;
    const found = await this.inner.findActive(tokenHash, now);
    if (found && before === this.revocations) this.byTokenHash.set(tokenHash, found);
    return found;
  }

  async revoke(sessionId: string): Promise<void> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
    await this.inner.revoke(sessionId);
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
  }

  async revokeAllForUser(userId: string): Promise<string[]> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.user.id === userId);
    const revoked = await this.inner.revokeAllForUser(userId);
    this.byTokenHash.deleteWhere((session) => session.user.id === userId);
    return revoked;
  }
}
