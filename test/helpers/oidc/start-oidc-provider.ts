/**
 * A real OpenID provider (panva's oidc-provider 9, the certified implementation) for SSO tests,
 * listening on an ephemeral loopback port with issuer `http://127.0.0.1:PORT` — the server under
 * test accepts http issuers only with OIDC_ALLOW_HTTP=on.
 *
 * It signs people in through its development pages (login, then consent; see login-driver.ts),
 * knows the accounts and clients a test gives it, requires PKCE from every client (RFC 9700
 * §2.1.1; oidc-provider's default only requires it from public clients) and answers the code
 * flow's token request with an ID token that carries the profile and e-mail claims too.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { issueTokenResponse } from './issue-token-response.js';
import { type ClientMetadata, MemoryStore } from './memory-store.js';
import { createSigningKey, type SigningJwk } from './signing-key.js';
import { installTokenTampering, type TokenResponse, type TokenTampering } from './token-tampering.js';

/** The claims an account releases (OIDC Core §5.1); `sub` defaults to the account id. */
export interface AccountClaims {
  sub?: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  name?: string;
}

export interface OidcProviderOptions {
  clients?: ClientMetadata[];
  /** By account id, which is what the login form takes. */
  accounts?: Record<string, AccountClaims>;
  /** Share one key between providers so that their ID tokens differ only in what they say (signing-key.ts). */
  signingKey?: SigningJwk;
  /**
   * True (the default): the ID token carries the profile and e-mail claims, as Google, Entra ID and
   * Keycloak do. False: only `sub` and the protocol claims, the rest from the UserInfo endpoint
   * (oidc-provider's own default, OIDC Core §5.4).
   */
  claimsInIdToken?: boolean;
}

export interface TestOidcProvider extends TokenTampering {
  /** http://127.0.0.1:PORT, also the issuer identifier. */
  issuer: string;
  signingKey: SigningJwk;
  /** Adds a client or replaces it, e.g. with the server's redirect URI once its port is known. */
  setClient(client: ClientMetadata): void;
  setAccount(accountId: string, claims: AccountClaims): void;
  /** A real token response from this provider for one of its clients (issue-token-response.ts). */
  issueTokenResponse(clientId: string, accountId: string, options?: { nonce?: string }): Promise<TokenResponse>;
  close(): Promise<void>;
}

const SCOPE_CLAIMS = {
  openid: ['sub'],
  email: ['email', 'email_verified'],
  profile: ['name', 'preferred_username'],
};

export async function startOidcProvider(options: OidcProviderOptions = {}): Promise<TestOidcProvider> {
  const store = new MemoryStore();
  for (const client of options.clients ?? []) store.setClient(client);
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const signingKey = options.signingKey ?? createSigningKey();

  // Listen first: the issuer names the port, and the provider is built with its issuer.
  let handler: ReturnType<Provider['callback']> = (_req, res) => res.writeHead(503).end();
  const server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    adapter: store.adapterFor,
    jwks: { keys: [signingKey] },
    claims: SCOPE_CLAIMS,
    conformIdTokenClaims: options.claimsInIdToken === false,
    pkce: { required: () => true },
    responseTypes: ['code'],
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    // Numbers rather than the defaults' functions, which log a notice each the first time.
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    findAccount: async (_ctx, id) => {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: () => ({ ...claims, sub: claims.sub ?? id }) };
    },
  });
  const tampering = installTokenTampering(provider);
  handler = provider.callback();

  return {
    issuer,
    signingKey,
    ...tampering,
    setClient: (client) => store.setClient(client),
    setAccount: (id, claims) => accounts.set(id, claims),
    issueTokenResponse: (clientId, accountId, tokenOptions = {}) => {
      const client = store.clients.get(clientId);
      if (!client) throw new Error(`no client ${clientId} at ${issuer}`);
      return issueTokenResponse({ issuer, client, accountId, ...tokenOptions });
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
