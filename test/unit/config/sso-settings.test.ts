import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/config/config.js';

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
};

describe('single sign-on settings (sso-settings.ts)', () => {
  it('reads each provider of OIDC_PROVIDERS from its OIDC_<ID>_* settings, with defaults', () => {
    const config = loadConfig({ OIDC_PROVIDERS: 'corp, google-ws', OIDC_CORP_ISSUER: 'https://id.example.com', OIDC_CORP_CLIENT_ID: 'c', OIDC_CORP_CLIENT_SECRET: 's', OIDC_CORP_NAME: 'Corp', OIDC_GOOGLE_WS_ISSUER: 'https://accounts.google.com', OIDC_GOOGLE_WS_CLIENT_ID: 'g', OIDC_GOOGLE_WS_CREATE_ACCOUNTS: 'off' });
    expect(config.oidcProviders).toEqual([
      { id: 'corp', name: 'Corp', issuer: 'https://id.example.com', clientId: 'c', clientSecret: 's', scopes: 'openid profile email', createAccounts: true },
      { id: 'google-ws', name: 'google-ws', issuer: 'https://accounts.google.com', clientId: 'g', clientSecret: null, scopes: 'openid profile email', createAccounts: false },
    ]);
    expect(config.PASSWORD_LOGIN).toBe(true);
  });

  it('names every missing or wrong provider setting at once', () => {
    const problems = problemsOf({ OIDC_PROVIDERS: 'corp', OIDC_CORP_ISSUER: 'http://id.example.com', OIDC_CORP_SCOPES: 'profile', OIDC_CORP_CREATE_ACCOUNTS: 'maybe' });
    expect(problems.join('\n')).toMatch(/OIDC_CORP_ISSUER must be an https:\/\/ URL/);
    expect(problems.join('\n')).toMatch(/OIDC_CORP_CLIENT_ID is required/);
    expect(problems.join('\n')).toMatch(/OIDC_CORP_SCOPES must include openid/);
    expect(problems.join('\n')).toMatch(/OIDC_CORP_CREATE_ACCOUNTS/);
  });

  it('refuses provider ids outside the path alphabet, and PASSWORD_LOGIN=off without a provider', () => {
    expect(problemsOf({ OIDC_PROVIDERS: 'Corp/1' }).join('\n')).toMatch(/OIDC_PROVIDERS "Corp\/1" is not a provider id/);
    expect(problemsOf({ PASSWORD_LOGIN: 'off' }).join('\n')).toMatch(/PASSWORD_LOGIN=off needs a single sign-on provider/);
    expect(problemsOf({ OIDC_PROVIDERS: 'corp', OIDC_CORP_ISSUER: 'http://127.0.0.1:9', OIDC_CORP_CLIENT_ID: 'c', OIDC_ALLOW_HTTP: 'on' })).toEqual([]);
  });
});
