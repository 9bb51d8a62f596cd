import type { ApiTokenRecord, LoginRecord, SessionRecord, SessionRepository, SessionUse } from '../../domain/ports/repositories.js';
import { BoundedMap } from './bounded-map.js';
import type { CacheLink, LinkedCache } from './cache-link.js';

const KEY_PREFIX = 'session:';
/** Announces that a user's profile changed: every process forgets the sessions (which carry the User) of that user. */
const USER_KEY_PREFIX = 'session-user:';

/**
 * Remembers live sessions by token hash, so authenticating a request costs no query. In a single
 * process logout goes through this object and forgets the session in the same step, so a
 * revoked token stops working at once. With several processes (`link`), each announces the
 * sessions it revoked and forgets those the others announce (see CacheLink). Expiry is checked
 * on every use.
 */
export class CachedSessionRepository implements SessionRepository, LinkedCache {
  private readonly byTokenHash: BoundedMap<string, SessionRecord>;
  /** Bumped by every revocation, so a lookup that raced with one is not cached. */
  private revocations = 0;

  constructor(
    private readonly inner: SessionRepository,
    private readonly link: CacheLink | null = null,
  ) {
    this.byTokenHash = new BoundedMap(50_000, link?.maxAgeMs);
    link?.register(this);
  }

  forget(keys: readonly string[]): void {
    const ids = new Set(keys.filter((key) => key.startsWith(KEY_PREFIX)).map((key) => key.slice(KEY_PREFIX.length)));
    const users = new Set(keys.filter((key) => key.startsWith(USER_KEY_PREFIX)).map((key) => key.slice(USER_KEY_PREFIX.length)));
    if (ids.size === 0 && users.size === 0) return;
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => ids.has(session.id) || users.has(session.user.id));
  }

  forgetAll(): void {
    this.revocations++;
    this.byTokenHash.clear();
  }

  create(session: Parameters<SessionRepository['create']>[0]): Promise<void> {
    return this.inner.create(session);
  }

  async findActive(tokenHash: string, now: string): Promise<SessionRecord | null> {
    const usable = this.link === null || this.link.usable();
    const cached = usable ? this.byTokenHash.get(tokenHash) : undefined;
    if (cached) {
      if (cached.expires_at > now) return cached;
      this.byTokenHash.delete(tokenHash);
      return null;
    }
    const before = this.revocations;
    const found = await this.inner.findActive(tokenHash, now);
    if (found && before === this.revocations && usable) this.byTokenHash.set(tokenHash, found);
    return found;
  }

  async revoke(sessionId: string, userId: string): Promise<void> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
    await this.inner.revoke(sessionId, userId);
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
    this.link?.announce([KEY_PREFIX + sessionId], userId);
  }

  async revokeAllForUser(userId: string): Promise<string[]> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.user.id === userId);
    const revoked = await this.inner.revokeAllForUser(userId);
    this.byTokenHash.deleteWhere((session) => session.user.id === userId);
    if (revoked.length > 0) this.link?.announce(revoked.map((id) => KEY_PREFIX + id), userId);
    return revoked;
  }

  async revokeEverything(userIds: readonly string[]): Promise<Array<{ id: string; user_id: string }>> {
    const users = new Set(userIds);
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => users.has(session.user.id));
    const revoked = await this.inner.revokeEverything(userIds);
    this.byTokenHash.deleteWhere((session) => users.has(session.user.id));
    // Announced per user even when nothing was revoked: other processes drop the users' cached sessions.
    for (const userId of users) this.link?.announce([USER_KEY_PREFIX + userId], userId);
    return revoked;
  }

  listTokens(userId: string, now: string): Promise<ApiTokenRecord[]> {
    return this.inner.listTokens(userId, now);
  }

  async revokeToken(tokenId: string, userId: string): Promise<boolean> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.id === tokenId);
    const revoked = await this.inner.revokeToken(tokenId, userId);
    this.byTokenHash.deleteWhere((session) => session.id === tokenId);
    if (revoked) this.link?.announce([KEY_PREFIX + tokenId], userId);
    return revoked;
  }

  listLogins(userId: string, now: string): Promise<LoginRecord[]> {
    return this.inner.listLogins(userId, now);
  }

  async revokeLogin(sessionId: string, userId: string): Promise<boolean> {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
    const revoked = await this.inner.revokeLogin(sessionId, userId);
    this.byTokenHash.deleteWhere((session) => session.id === sessionId);
    if (revoked) this.link?.announce([KEY_PREFIX + sessionId], userId);
    return revoked;
  }

  async revokeOtherLogins(userId: string, keepId: string): Promise<string[]> {
    this.revocations++;
    const doomed = (session: SessionRecord) => session.user.id === userId && session.id !== keepId && session.scopes === null;
    this.byTokenHash.deleteWhere(doomed);
    const revoked = await this.inner.revokeOtherLogins(userId, keepId);
    this.byTokenHash.deleteWhere(doomed);
    if (revoked.length > 0) this.link?.announce(revoked.map((id) => KEY_PREFIX + id), userId);
    return revoked;
  }

  recordUse(sessionId: string, use: SessionUse): Promise<void> {
    return this.inner.recordUse(sessionId, use);
  }

  userChanged(userId: string): void {
    this.revocations++;
    this.byTokenHash.deleteWhere((session) => session.user.id === userId);
    this.link?.announce([USER_KEY_PREFIX + userId], userId);
  }
}
