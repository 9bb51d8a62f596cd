import { randomUUID } from 'node:crypto';
import { API_TOKEN_PREFIX, type ApiToken, type ApiTokenInput, type CreatedApiToken } from '@pneumatic/protocol';
import type { Principal } from './account.service.js';
import { nowIso } from './clock.js';
import { AppError } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { Store } from './ports/repositories.js';
import { requireGrantable, type HeldScopes } from './scope.policy.js';
import { hashToken, newToken } from './security/tokens.js';

/**
 * The `expires_at` stored for an API token that never expires (store/migrations/0016): far
 * enough that nothing alive now reaches it; listed as null.
 */
export const NEVER_EXPIRES = '9999-12-31T23:59:59.999Z';

export interface ApiTokenServiceDeps {
  store: Store;
  events: EventPublisher;
  maxPerUser: number;
}

/**
 * API tokens (docs/API.md, "API tokens and scopes"): bearer tokens a user creates for scripts and
 * integrations, with a name, scopes and an optional expiry. Stored like login sessions, as the
 * hash of the secret only; the secret is shown once. Revoking one closes its sockets.
 */
export class ApiTokenService {
  constructor(private readonly deps: ApiTokenServiceDeps) {}

  /** A token of the caller's own. */
  create(principal: Principal, input: ApiTokenInput): Promise<CreatedApiToken> {
    return this.issue(principal.user.id, principal.scopes, input);
  }

  /**
   * A token for `userId` (the caller, or a bot the caller owns) granted by a caller holding
   * `grantor`: a token hands on only what its creator holds (a login session holds every scope).
   */
  async issue(userId: string, grantor: HeldScopes, input: ApiTokenInput): Promise<CreatedApiToken> {
    requireGrantable(grantor, input.scopes);
    const now = nowIso();
    const expiresAt = input.expires_at ?? null;
    if (expiresAt !== null && !(new Date(expiresAt).toISOString() > now)) {
      throw new AppError('invalid_expiry', 'expires_at must be in the future (or null: never).', { errors: [{ pointer: '/expires_at', detail: 'must be in the future' }] });
    }
    const held = await this.deps.store.sessions.listTokens(userId, now);
    if (held.length >= this.deps.maxPerUser) {
      throw new AppError('too_many_api_tokens', `This account holds ${held.length} API tokens, the most allowed; revoke one first.`);
    }
    const secret = API_TOKEN_PREFIX + newToken();
    const token: ApiToken = {
      id: randomUUID(),
      name: input.name,
      scopes: [...input.scopes],
      created_at: now,
      expires_at: expiresAt === null ? null : new Date(expiresAt).toISOString(),
    };
    await this.deps.store.sessions.create({
      id: token.id,
      token_hash: hashToken(secret),
      user_id: userId,
      created_at: now,
      expires_at: token.expires_at ?? NEVER_EXPIRES,
      token: { name: token.name, scopes: token.scopes },
    });
    return { token, secret };
  }

  list(userId: string): Promise<ApiToken[]> {
    return this.deps.store.sessions.listTokens(userId, nowIso());
  }

  /** Revokes one of the user's tokens and closes its sockets, on every process; 404 for any other id. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    if (!(await this.deps.store.sessions.revokeToken(tokenId, userId))) throw new AppError('not_found', 'You have no API token with this id.');
    this.deps.events.publish({ type: 'sessions.revoked', user_id: userId, session_ids: [tokenId], reason: 'token_revoked' });
  }
}
