import { randomUUID } from 'node:crypto';
import type { RegistrationPolicy, User } from '@pneumatic/protocol';
import { isoAfterSeconds, nowIso } from './clock.js';
import { AppError } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { RateLimiter } from './ports/rate-limiter.js';
import type { Store } from './ports/repositories.js';
import { LoginGuard, type LoginGuardSettings } from './security/login-guard.js';
import type { PasswordHasher } from './security/password-hasher.js';
import { requireScope, type HeldScopes } from './scope.policy.js';
import { hashToken, newToken } from './security/tokens.js';
import { SessionUseRecorder, type ClientInfo } from './sessions/session-use-recorder.js';
import { admitSignUp } from './registration/registration.policy.js';

export interface Principal {
  user: User;
  session_id: string;
  /** When the token stops working (ISO 8601); a socket opened with it is closed then. */
  expires_at: string;
  /** An API token's scopes; null for a login session, which holds every scope (scope.policy.ts). */
  scopes: HeldScopes;
}

export interface AccountServiceDeps {
  store: Store;
  hasher: PasswordHasher;
  limiter: RateLimiter;
  events: EventPublisher;
  sessionTtlSeconds: number;
  loginGuard: LoginGuardSettings;
  /** REGISTRATION (docs/API.md, "Registration and invites"). */
  registration: RegistrationPolicy;
  /** PASSWORD_LOGIN (docs/API.md, "Single sign-on"): off, passwords neither sign up nor log in. */
  passwordLogin: boolean;
  /** ADMIN_USERNAMES: called as an account logs in or signs up, before its session opens. */
  appointAdmin?: (user: User) => Promise<void>;
}

/** 403 account_deactivated for an account an admin deactivated (docs/API.md, "Administration"). */
function requireActive(user: User): void {
  if (user.deactivated) throw new AppError('account_deactivated', 'An admin deactivated this account.');
}

/** Users, passwords and login sessions (opaque bearer tokens stored only as hashes). */
export class AccountService {
  private readonly loginGuard: LoginGuard;

  private readonly uses: SessionUseRecorder;

  constructor(private readonly deps: AccountServiceDeps) {
    this.loginGuard = new LoginGuard(deps.limiter, deps.loginGuard);
    this.uses = new SessionUseRecorder(deps.store.sessions);
  }

  /** Signs up under the registration policy (`invite`: the code of an invite link). */
  async register(username: string, password: string, clientIp: string, client: ClientInfo = {}, invite?: string): Promise<{ user: User; token: string }> {
    this.requirePasswordLogin();
    await this.deps.limiter.consume('registrations', clientIp);
    const admission = await admitSignUp(this.deps.registration, this.deps.store.invites, invite);
    let user: User | null = null;
    try {
      user = await this.deps.store.users.create({
        id: randomUUID(),
        username,
        created_at: nowIso(),
        password_hash: await this.deps.hasher.hash(password),
      });
    } finally {
      if (!user) await admission.release();
    }
    if (!user) throw new AppError('username_taken', 'That username is taken.');
    return { user, token: await this.openSession(user, client) };
  }

  /** Unknown user and wrong password answer alike, in the same time. Failures are limited by LoginGuard. */
  async login(username: string, password: string, clientIp: string, client: ClientInfo = {}): Promise<{ user: User; token: string }> {
    this.requirePasswordLogin();
    await this.deps.limiter.consume('logins', clientIp);
    await this.loginGuard.beforeAttempt(username, clientIp);
    // A bot has no password (it uses API tokens): answered as an unknown user, in the same time.
    const account = await this.deps.store.users.findByUsername(username);
    const found = account?.is_bot ? null : account;
    // An account made by single sign-on has no password ('' in storage): nothing verifies against it.
    const ok = found && found.password_hash !== ''
      ? await this.deps.hasher.verify(password, found.password_hash)
      : await this.deps.hasher.verifyAgainstNothing(password);
    if (!found || !ok) {
      await this.loginGuard.failed(username, clientIp);
      throw new AppError('invalid_credentials', 'Wrong username or password.');
    }
    await this.loginGuard.succeeded(username, clientIp);
    // Said only to whoever knows the password, so the answer tells nobody else the account exists.
    requireActive(found);
    const { password_hash: _secret, ...user } = found;
    return { user, token: await this.openSession(user, client) };
  }

  /** The token's principal, or null; a login session's use is recorded (docs/API.md, "Password and sessions"). */
  async authenticate(token: string, client?: ClientInfo): Promise<Principal | null> {
    const session = await this.deps.store.sessions.findActive(hashToken(token), nowIso());
    if (!session) return null;
    if (client && session.scopes === null) this.uses.used(session.id, client);
    return { user: session.user, session_id: session.id, expires_at: session.expires_at, scopes: session.scopes };
  }

  /** Revokes the session (or all of the user's) and closes the sockets opened with it, on every process. */
  async logout(principal: Principal, everywhere: boolean): Promise<void> {
    // Any token may revoke itself; logging the user out everywhere is the account's.
    if (everywhere) requireScope(principal.scopes, 'account:manage');
    const sessionIds = everywhere
      ? await this.deps.store.sessions.revokeAllForUser(principal.user.id)
      : [principal.session_id];
    if (!everywhere) await this.deps.store.sessions.revoke(principal.session_id, principal.user.id);
    this.deps.events.publish({ type: 'sessions.revoked', user_id: principal.user.id, session_ids: sessionIds, reason: 'logout' });
  }

  async getUser(id: string): Promise<User> {
    const user = await this.deps.store.users.findById(id);
    if (!user) throw new AppError('user_not_found', 'No user has this id.');
    return user;
  }

  async findByUsername(username: string): Promise<User[]> {
    const found = await this.deps.store.users.findByUsername(username);
    if (!found) return [];
    const { password_hash: _secret, ...user } = found;
    return [user];
  }

  /** A login session for a user who proved who they are another way (single sign-on's login code). */
  async openSessionFor(userId: string, client: ClientInfo): Promise<{ user: User; token: string }> {
    const user = await this.getUser(userId);
    requireActive(user);
    return { user, token: await this.openSession(user, client) };
  }

  private requirePasswordLogin(): void {
    if (!this.deps.passwordLogin) throw new AppError('password_login_disabled', 'This server logs people in only through single sign-on (GET /login-options lists the providers).');
  }

  private async openSession(user: User, client: ClientInfo): Promise<string> {
    await this.deps.appointAdmin?.(user);
    const userId = user.id;
    const token = newToken();
    const now = Date.now();
    const id = randomUUID();
    const createdAt = new Date(now).toISOString();
    await this.deps.store.sessions.create({
      id,
      token_hash: hashToken(token),
      user_id: userId,
      created_at: createdAt,
      expires_at: isoAfterSeconds(this.deps.sessionTtlSeconds, now),
      use: SessionUseRecorder.useOf(client, createdAt),
    });
    this.uses.created(id, now);
    return token;
  }
}
