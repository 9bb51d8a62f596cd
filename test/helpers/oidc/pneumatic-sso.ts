/**
 * The Pneumatic side of a single sign-on, as a browser and the web app drive it
 * (/work/notes/sso-api.md): a server configured with one test provider `corp`, and the steps of a
 * flow — start, sign in at the provider, land on the callback, trade the login code — each one a
 * function so that a bad case can do a step out of order, twice, or with another browser's cookie.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { Api, expectProblem, type ApiResponse } from '../api-client.js';
import type { Dialect } from '../dialects.js';
import { startServer, type TestServer } from '../server.js';
import { loginAt } from './login-driver.js';
import { startOidcProvider, type AccountClaims, type TestOidcProvider } from './start-oidc-provider.js';

export const CLIENT = { client_id: 'pneumatic', client_secret: 'pneumatic-secret' };
/** The binding cookie's name and the login code's form (sso-api.md, "Routes"). */
const SSO_COOKIE = 'pneumatic_sso';
const LOGIN_CODE = /^pnl_[\w-]+$/;

export interface SsoWorld {
  server: TestServer;
  provider: TestOidcProvider;
}

/**
 * Before the enclosing describe block: a provider with these accounts and the client `pneumatic`,
 * then a server with it as `corp` ("Corp"). The provider starts first because the server reads
 * the issuer at boot; the client's redirect URI names the server's port, so it is set after.
 */
export function ssoWorld(dialect: Dialect, accounts: Record<string, AccountClaims>, env: Record<string, string> = {}, options: { publicClient?: boolean } = {}): SsoWorld {
  const world = {} as SsoWorld;
  // A public client has no secret at either end (token_endpoint_auth_method none, PKCE only).
  const client = options.publicClient ? { client_id: CLIENT.client_id } : CLIENT;
  beforeAll(async () => {
    world.provider = await startOidcProvider({ clients: [{ ...client, redirect_uris: ['http://127.0.0.1:9/not-yet'] }], accounts });
    world.server = await startServer({
      dialect,
      env: {
        RATE_LIMITS: 'off',
        OIDC_ALLOW_HTTP: 'on',
        OIDC_PROVIDERS: 'corp',
        OIDC_CORP_ISSUER: world.provider.issuer,
        OIDC_CORP_CLIENT_ID: CLIENT.client_id,
        ...(options.publicClient ? {} : { OIDC_CORP_CLIENT_SECRET: CLIENT.client_secret }),
        OIDC_CORP_NAME: 'Corp',
        ...env,
      },
    });
    world.provider.setClient({ ...client, redirect_uris: [`${world.server.url}/auth/oidc/corp/callback`] });
  });
  afterAll(async () => {
    await world.server?.close();
    await world.provider?.close();
  });
  return world;
}

export interface StartedSso {
  /** `pneumatic_sso=<value>`, as the browser sends it back. */
  cookie: string;
  authorizationUrl: string;
  state: string;
}

/** POST /auth/oidc/corp/authorize (200 expected), keeping the binding cookie as the browser would. */
export async function startSso(server: TestServer, body: { link?: boolean; return_to?: string } = {}, token: string | null = null): Promise<StartedSso> {
  const response = await new Api(server.url, token).post('/auth/oidc/corp/authorize', body);
  expect(response.status, JSON.stringify(response.body)).toBe(200);
  const setCookie = response.headers.getSetCookie().find((line) => line.startsWith(`${SSO_COOKIE}=`));
  expect(setCookie).toBeDefined();
  const authorizationUrl: string = response.body.authorization_url;
  return { cookie: setCookie!.split(';')[0]!, authorizationUrl, state: new URL(authorizationUrl).searchParams.get('state')! };
}

/** GET the callback URL the provider sent the browser to, with this cookie (or none), not following the redirect. */
export async function visitCallback(callbackUrl: string, cookie: string | null): Promise<ApiResponse> {
  const response = await fetch(callbackUrl, { headers: cookie ? { cookie } : {}, redirect: 'manual' });
  const text = await response.text();
  const body = (response.headers.get('content-type') ?? '').includes('json') ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

/** A 303 from the callback: its Location, relative to the server, split into path and fragment. */
export function redirectOf(server: TestServer, response: ApiResponse): { path: string; fragment: string } {
  expect(response.status, JSON.stringify(response.body)).toBe(303);
  const location = new URL(response.headers.get('location')!, server.url);
  expect(location.origin).toBe(server.url);
  return { path: location.pathname + location.search, fragment: location.hash };
}

/** A refused callback: the problem's status and code, and no redirect, so no login code came out. */
export function expectRefused(response: ApiResponse, status: number, code: string): void {
  expectProblem(response, status, code);
  expect(response.headers.get('location')).toBeNull();
  expect(JSON.stringify(response.body)).not.toMatch(/pnl_/);
}

/** Start, sign in at the provider as `accountId`, land on the callback: the callback's response. */
export async function ssoCallback(server: TestServer, accountId: string, start: { link?: boolean; token?: string } = {}): Promise<ApiResponse> {
  const started = await startSso(server, start.link ? { link: true } : {}, start.token ?? null);
  return visitCallback(await loginAt(started.authorizationUrl, accountId), started.cookie);
}

/** The login code out of a successful login callback. */
export function loginCodeOf(server: TestServer, response: ApiResponse): string {
  const { fragment } = redirectOf(server, response);
  const code = /^#\/sso\/(.+)$/.exec(fragment)?.[1];
  expect(code).toMatch(LOGIN_CODE);
  return code!;
}

/** POST /sessions/sso. */
export function exchangeLoginCode(server: TestServer, loginCode: string): Promise<ApiResponse> {
  return new Api(server.url).post('/sessions/sso', { login_code: loginCode });
}

/** A whole SSO login as `accountId`: the session (201 expected) and who it is. */
export async function ssoLogin(server: TestServer, accountId: string): Promise<{ token: string; user: { id: string; username: string; display_name?: string | null } }> {
  const session = await exchangeLoginCode(server, loginCodeOf(server, await ssoCallback(server, accountId)));
  expect(session.status, JSON.stringify(session.body)).toBe(201);
  return session.body;
}
