/**
 * Single sign-on with OpenID Connect (docs/API.md, "Single sign-on"): starting a log-in or a
 * link, the callback, and the one-time login code the web app trades for a session. Which account
 * an identity opens follows one rule (docs/API.md): the account it is linked to; else, when a
 * logged-in user started the flow, theirs; else a new account (when the provider may create
 * them). Never an account found by e-mail, verified or not.
 */
import { randomUUID } from 'node:crypto';
import { LOGIN_CODE_PREFIX, type LinkedIdentityList, type SsoCallbackQuery, type SsoProvider, type StartSso, type User } from '@pneumatic/protocol';
import type { OidcProviderSettings } from '../../config/sso-settings.js';
import type { AccountService, Principal } from '../account.service.js';
import { isoAfterSeconds, nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import { OpenIdRefusal, type OpenIdProviders, type VerifiedClaims } from '../ports/openid-providers.js';
import type { RateLimiter } from '../ports/rate-limiter.js';
import type { ProviderIdentity, SsoRepository } from '../ports/sso-repository.js';
import type { UserRepository } from '../ports/account-repositories.js';
import { requireScope } from '../scope.policy.js';
import { hashToken, newToken } from '../security/tokens.js';
import type { ClientInfo } from '../sessions/session-use-recorder.js';
import { baseUsername, displayNameOf, usernameCandidate, type UsernameRules } from './account-naming.js';
import { resolveReturnTo } from './return-to.policy.js';

/** How long a started log-in may take at the provider. */
export const SSO_FLOW_SECONDS = 600;
/** How long the web app has to trade the callback's login code for a session. */
export const LOGIN_CODE_SECONDS = 60;
/** Usernames tried (`jdoe`, `jdoe2`, …) before a random suffix. */
const NAME_ATTEMPTS = 20;

export interface SsoServiceDeps {
  sso: SsoRepository;
  users: UserRepository;
  openId: OpenIdProviders;
  accounts: AccountService;
  limiter: RateLimiter;
  providers: readonly OidcProviderSettings[];
  /** PUBLIC_URL; null: the origin each request arrived on. */
  publicUrl: string | null;
  /** CORS_ORIGINS, where return_to may also point. */
  allowedOrigins: readonly string[];
  usernames: UsernameRules;
}

/** Where the browser stands: its origin (for redirect URIs without PUBLIC_URL) and its address. */
export interface BrowserContext {
  origin: string;
  ip: string;
  client: ClientInfo;
}

export class SsoService {
  constructor(private readonly deps: SsoServiceDeps) {}

  /** The "Log in with …" buttons. */
  providers(): SsoProvider[] {
    return this.deps.providers.map((p) => ({ id: p.id, name: p.name }));
  }

  /** Starts a log-in (or, with `link`, links to the caller): the provider's URL and the browser binding to set as a cookie. */
  async start(providerId: string, body: StartSso, principal: Principal | null, browser: BrowserContext): Promise<{ authorization_url: string; binding: string }> {
    const provider = this.provider(providerId);
    await this.deps.limiter.consume('logins', browser.ip);
    if (body.link === true) {
      if (!principal) throw new AppError('unauthorized', 'Linking an identity needs your token: log in first.');
      requireScope(principal.scopes, 'account:manage');
    }
    const origin = this.origin(browser);
    const returnTo = resolveReturnTo(body.return_to, { ownOrigin: origin, allowedOrigins: this.deps.allowedOrigins });
    const state = newToken();
    const nonce = newToken();
    const codeVerifier = newToken();
    const binding = newToken();
    const redirectUri = `${origin}/auth/oidc/${provider.id}/callback`;
    const url = await this.openId.authorizationUrl(provider.id, { redirectUri, state, nonce, codeVerifier }).catch(explainRefusal);
    const now = nowIso();
    await this.deps.sso.deleteExpired(now);
    await this.deps.sso.saveFlow({
      state_hash: hashToken(state),
      provider: provider.id,
      binding_hash: hashToken(binding),
      code_verifier: codeVerifier,
      nonce,
      redirect_uri: redirectUri,
      return_to: returnTo,
      link_user_id: body.link === true ? principal!.user.id : null,
      expires_at: isoAfterSeconds(SSO_FLOW_SECONDS),
    });
    return { authorization_url: url.toString(), binding };
  }

  /**
   * The provider sent the browser back: where to send it next (the web app, with a login code or
   * a "linked" mark in the fragment). Throws for every refusal; nothing is logged in then.
   */
  async finish(providerId: string, query: SsoCallbackQuery, callbackUrl: URL, binding: string | undefined): Promise<string> {
    const provider = this.provider(providerId);
    // The state is taken (deleted) before anything else is checked: it works once, whatever happens next.
    const flow = query.state ? await this.deps.sso.takeFlow(hashToken(query.state), nowIso()) : null;
    if (!flow || flow.provider !== provider.id) throw new AppError('invalid_sso_state', 'This sign-in link is unknown, expired or already used: start again.');
    if (binding === undefined || hashToken(binding) !== flow.binding_hash) {
      throw new AppError('invalid_sso_state', 'This sign-in was started in another browser (its pneumatic_sso cookie is missing or different): start again here.');
    }
    if (query.error !== undefined) throw new AppError('sso_denied', `${provider.name} did not sign you in (${query.error.replace(/[^\w.-]/g, '').slice(0, 64)}).`);
    if (query.code === undefined) throw new AppError('sso_failed', `${provider.name} sent no authorization code.`);
    const claims = await this.openId
      .redeem(provider.id, { callbackUrl, redirectUri: flow.redirect_uri, state: query.state!, nonce: flow.nonce, codeVerifier: flow.code_verifier })
      .catch(explainRefusal);
    const identity: ProviderIdentity = { provider: provider.id, issuer: claims.issuer, subject: claims.subject, email: claims.email };
    if (flow.link_user_id !== null) {
      const outcome = await this.deps.sso.link(identity, flow.link_user_id, nowIso());
      if (outcome === 'taken') throw new AppError('identity_taken', `This ${provider.name} account is linked to another account here, or yours already has a ${provider.name} account linked.`);
      return `${flow.return_to}#/sso-linked/${provider.id}`;
    }
    const userId = await this.accountFor(identity, claims, provider);
    const code = LOGIN_CODE_PREFIX + newToken();
    await this.deps.sso.saveLoginCode(hashToken(code), userId, isoAfterSeconds(LOGIN_CODE_SECONDS));
    return `${flow.return_to}#/sso/${code}`;
  }

  /** POST /sessions/sso: the callback's login code for a session, once. */
  async exchange(loginCode: string, browser: Pick<BrowserContext, 'ip' | 'client'>): Promise<{ user: User; token: string }> {
    await this.deps.limiter.consume('logins', browser.ip);
    const userId = await this.deps.sso.takeLoginCode(hashToken(loginCode.trim()), nowIso());
    if (userId === null) throw new AppError('invalid_login_code', 'This login code is unknown, expired or already used: sign in again.');
    return this.deps.accounts.openSessionFor(userId, browser.client);
  }

  async identities(principal: Principal): Promise<LinkedIdentityList> {
    requireScope(principal.scopes, 'account:manage');
    const names = new Map(this.deps.providers.map((p) => [p.id, p.name]));
    const identities = (await this.deps.sso.listIdentities(principal.user.id)).map((i) => ({ ...i, provider_name: names.get(i.provider) ?? i.provider }));
    return { identities, has_password: (await this.deps.users.passwordHashOf(principal.user.id)) !== '' };
  }

  async unlink(principal: Principal, providerId: string): Promise<void> {
    requireScope(principal.scopes, 'account:manage');
    const outcome = await this.deps.sso.unlink(principal.user.id, providerId);
    if (outcome === 'not_found') throw new AppError('not_found', 'You have no identity linked at this provider.');
    if (outcome === 'last') throw new AppError('last_login_method', 'This account has no password and no other identity: unlinking it would lock you out.');
  }

  /** The identity's account, or a new one; refused when the provider may not create accounts. */
  private async accountFor(identity: ProviderIdentity, claims: VerifiedClaims, provider: OidcProviderSettings): Promise<string> {
    const known = await this.deps.sso.logIn(identity, nowIso());
    if (known !== null) return known;
    if (!provider.createAccounts) throw new AppError('registration_closed', `No account here is linked to this ${provider.name} account, and ${provider.name} sign-ins may not create accounts: ask an administrator.`);
    const base = baseUsername(claims, this.deps.usernames);
    for (let attempt = 1; attempt <= NAME_ATTEMPTS + 1; attempt++) {
      const username = attempt <= NAME_ATTEMPTS ? usernameCandidate(base, attempt, this.deps.usernames) : usernameCandidate(base, Number.parseInt(randomUUID().slice(0, 6), 16), this.deps.usernames);
      const id = randomUUID();
      const at = nowIso();
      const created = await this.deps.sso.createWithIdentity({ id, username, created_at: at, password_hash: '', display_name: displayNameOf(claims) }, identity, at);
      if (created === 'created') return id;
      if (created === 'identity_taken') {
        // Two first logins of one person at once: the other made the account.
        const other = await this.deps.sso.logIn(identity, nowIso());
        if (other !== null) return other;
      }
    }
    throw new AppError('username_taken', 'No free username could be found for this account: ask an administrator.');
  }

  private provider(id: string): OidcProviderSettings {
    const provider = this.deps.providers.find((p) => p.id === id);
    if (!provider) throw new AppError('provider_not_found', 'No single sign-on provider has this id (GET /login-options lists them).');
    return provider;
  }

  private origin(browser: BrowserContext): string {
    return this.deps.publicUrl === null ? browser.origin : new URL(this.deps.publicUrl).origin;
  }

  private get openId(): OpenIdProviders {
    return this.deps.openId;
  }
}

function explainRefusal(error: unknown): never {
  if (error instanceof OpenIdRefusal) {
    if (error.kind === 'unavailable') throw new AppError('provider_unavailable', 'The identity provider could not be reached: try again in a moment.');
    throw new AppError('sso_failed', `The identity provider's answer did not check out: ${error.message}`);
  }
  throw error;
}
