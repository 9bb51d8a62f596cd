/**
 * Single sign-on settings (docs/API.md, "Single sign-on"), a part of config.ts's one table kept in
 * a file of its own. A provider's own settings are named after its id (`OIDC_<ID>_ISSUER`…), so
 * they cannot be rows of a fixed table: readOidcProviders reads them once OIDC_PROVIDERS is known.
 */
import { SSO_PROVIDER_ID_PATTERN } from '@pneumatic/protocol';
import { ConfigValueError, onOff, type Parser } from './value-parsers.js';

const providerIds: Parser<readonly string[]> = (raw) => {
  const ids = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const id of ids) {
    if (!new RegExp(SSO_PROVIDER_ID_PATTERN).test(id)) throw new ConfigValueError(`"${id}" is not a provider id (a-z, 0-9 and -, up to 32 characters, such as corp or google)`);
  }
  if (new Set(ids).size !== ids.length) throw new ConfigValueError('names a provider twice');
  return Object.freeze(ids);
};

export const SSO_SETTINGS = {
  OIDC_PROVIDERS: {
    default: '',
    doc: 'Single sign-on providers (OpenID Connect), comma-separated ids such as corp,google; each is set with OIDC_<ID>_ISSUER, OIDC_<ID>_CLIENT_ID, OIDC_<ID>_CLIENT_SECRET (none for a public client), OIDC_<ID>_NAME (the button\'s label), OIDC_<ID>_SCOPES (default "openid profile email") and OIDC_<ID>_CREATE_ACCOUNTS (on|off, default on). Register <PUBLIC_URL>/auth/oidc/<id>/callback at the provider.',
    parse: providerIds,
  },
  OIDC_ALLOW_HTTP: {
    default: 'off',
    doc: 'Accept an http:// OIDC issuer (a provider on loopback for tests); never in production.',
    parse: onOff,
  },
  PASSWORD_LOGIN: {
    default: 'on',
    doc: 'Log in and sign up with a username and password (on), or only through single sign-on (off: POST /sessions and POST /users answer 403 password_login_disabled).',
    parse: onOff,
  },
};

/** One provider as configured. */
export interface OidcProviderSettings {
  readonly id: string;
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  /** Null for a public client (PKCE only). */
  readonly clientSecret: string | null;
  readonly scopes: string;
  /** First login of an identity no account has: make an account (on) or refuse (off). */
  readonly createAccounts: boolean;
}

/** Each provider of OIDC_PROVIDERS from its OIDC_<ID>_* settings, or what is wrong with them. */
export function readOidcProviders(env: Record<string, string | undefined>, ids: readonly string[], allowHttp: boolean): { providers: OidcProviderSettings[]; problems: string[] } {
  const problems: string[] = [];
  const providers = ids.map((id): OidcProviderSettings => {
    const prefix = `OIDC_${id.toUpperCase().replaceAll('-', '_')}_`;
    const read = (key: string): string => (env[prefix + key] ?? '').trim();
    const issuer = read('ISSUER');
    const clientId = read('CLIENT_ID');
    if (issuer === '') problems.push(`${prefix}ISSUER is required for the provider "${id}" of OIDC_PROVIDERS (its issuer URL, e.g. https://accounts.google.com).`);
    else if (!isIssuerUrl(issuer, allowHttp)) problems.push(`${prefix}ISSUER must be an https:// URL${allowHttp ? ' (or http://)' : ''}, got "${issuer}".`);
    if (clientId === '') problems.push(`${prefix}CLIENT_ID is required for the provider "${id}" of OIDC_PROVIDERS (the client id the provider gave this server).`);
    let createAccounts = true;
    try {
      createAccounts = onOff(read('CREATE_ACCOUNTS') || 'on');
    } catch (error) {
      problems.push(`${prefix}CREATE_ACCOUNTS ${(error as Error).message}.`);
    }
    const scopes = read('SCOPES') || 'openid profile email';
    if (!scopes.split(/\s+/).includes('openid')) problems.push(`${prefix}SCOPES must include openid, got "${scopes}".`);
    return { id, name: read('NAME') || id, issuer, clientId, clientSecret: read('CLIENT_SECRET') || null, scopes, createAccounts };
  });
  return { providers, problems };
}

function isIssuerUrl(raw: string, allowHttp: boolean): boolean {
  try {
    const url = new URL(raw);
    return url.protocol === 'https:' || (allowHttp && url.protocol === 'http:');
  } catch {
    return false;
  }
}
