/**
 * A user's login sessions and password (docs/API.md, "Password and sessions"): list where
 * you are logged in, log one out, change the password (which logs out everywhere else).
 */
import type { Session } from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { EventPublisher } from '../ports/events.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { Store } from '../ports/repositories.js';
import { requireScope } from '../scope.policy.js';
import { LoginGuard, type LoginGuardSettings } from '../security/login-guard.js';
import type { PasswordHasher } from '../security/password-hasher.js';
import { describeClient } from './client-description.js';

export interface SessionServiceDeps {
  store: Store;
  hasher: PasswordHasher;
  limiter: RateLimiter;
  events: EventPublisher;
  loginGuard: LoginGuardSettings;
}

export class SessionService {
  private readonly loginGuard: LoginGuard;

  constructor(private readonly deps: SessionServiceDeps) {
    // The same budgets as logins: guessing the current password here is guessing a login.
    this.loginGuard = new LoginGuard(deps.limiter, deps.loginGuard);
  }

  async list(principal: Principal): Promise<Session[]> {
    requireScope(principal.scopes, 'account:manage');
    const logins = await this.deps.store.sessions.listLogins(principal.user.id, nowIso());
    return logins.map((login) => ({
      id: login.id,
      current: login.id === principal.session_id,
      created_at: login.created_at,
      last_used_at: login.last_used_at,
      expires_at: login.expires_at,
      client: describeClient(login.user_agent),
      ip: login.ip,
    }));
  }

  /** Logs one of the caller's sessions out; its sockets close with 4401. */
  async revoke(principal: Principal, sessionId: string): Promise<void> {
    requireScope(principal.scopes, 'account:manage');
    const revoked = await this.deps.store.sessions.revokeLogin(sessionId.toLowerCase(), principal.user.id);
    if (!revoked) throw new AppError('not_found', 'You have no session with this id.');
    this.deps.events.publish({ type: 'sessions.revoked', user_id: principal.user.id, session_ids: [sessionId.toLowerCase()], reason: 'session_revoked' });
  }

  /**
   * Changes the caller's password and logs out every other session (their sockets close with
   * 4401). The calling session stays, as do API tokens: they are credentials of their own.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, clientIp: string): Promise<void> {
    requireScope(principal.scopes, 'account:manage');
    const userId = principal.user.id;
    const username = principal.user.username;
    const hash = await this.deps.store.users.passwordHashOf(userId);
    if (hash === null) throw new AppError('forbidden', 'This account has no password (a bot uses API tokens).');
    await this.loginGuard.beforeAttempt(username, clientIp);
    if (!(await this.deps.hasher.verify(currentPassword, hash))) {
      await this.loginGuard.failed(username, clientIp);
      throw new AppError('wrong_password', 'The current password is not right.');
    }
    await this.loginGuard.succeeded(username, clientIp);
    await this.deps.store.users.setPasswordHash(userId, await this.deps.hasher.hash(newPassword));
    // A token's principal keeps no session of its own among the logins; every login is then revoked.
    const revoked = await this.deps.store.sessions.revokeOtherLogins(userId, principal.session_id);
    if (revoked.length > 0) this.deps.events.publish({ type: 'sessions.revoked', user_id: userId, session_ids: revoked, reason: 'password_changed' });
  }
}
