/**
 * The SDK's single sign-on requests as they leave the client (a fake fetch records them), as
 * docs/API.md ("Single sign-on") has them: starting a login anonymously and a link with the
 * token, both asking the browser to keep the flow's cookie; the login code exchanged without the
 * token and the answer adopted like a password login; linked identities listed and unlinked.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../../src/client.js';
import { PneumaticError } from '../../src/errors.js';
import type { FetchLike } from '../../src/http-client.js';
import { line, recordingClient } from './recording-client.js';

const AUTHORIZE = { authorization_url: 'https://id.example.test/auth?client_id=pneumatic&state=s1' };

describe('single sign-on requests', () => {
  it('starts a login without the token and a link with it, each keeping the flow’s cookie', async () => {
    const { client, sent } = recordingClient(() => AUTHORIZE);
    expect(await client.startSso('corp')).toEqual(AUTHORIZE);
    await client.startSso('corp', { returnTo: '/app/' });
    await client.startSso('my corp', { returnTo: 'https://chat.example.test/', link: true });
    expect(sent.map(line)).toEqual([
      'POST /auth/oidc/corp/authorize {}',
      'POST /auth/oidc/corp/authorize {"return_to":"/app/"}',
      'POST /auth/oidc/my%20corp/authorize {"return_to":"https://chat.example.test/","link":true}',
    ]);
    expect(sent.map((s) => s.authorized)).toEqual([false, false, true]);
    expect(sent.map((s) => s.credentials)).toEqual(['same-origin', 'same-origin', 'same-origin']);
  });

  it('exchanges a login code without the old token and uses the new one from then on', async () => {
    const { client, sent } = recordingClient((s) => (s.url.pathname === '/sessions/sso' ? { user: { id: 'u9', username: 'jdoe' }, token: 'sso-token' } : { id: 'u9' }));
    const result = await client.loginWithSsoCode('pnl_abc');
    expect(result).toEqual({ user: { id: 'u9', username: 'jdoe' }, token: 'sso-token' });
    expect(client.token).toBe('sso-token');
    expect(client.user).toMatchObject({ id: 'u9', username: 'jdoe' });
    await client.me();
    expect(sent.map(line)).toEqual(['POST /sessions/sso {"login_code":"pnl_abc"}', 'GET /users/me']);
    expect(sent.map((s) => s.authorized)).toEqual([false, true]);
    expect(sent[0]!.credentials).toBeUndefined();
  });

  it('keeps the old token when the login code is refused', async () => {
    const problem = JSON.stringify({ type: 'about:blank', title: 'Bad Request', status: 400, code: 'invalid_login_code', detail: 'This login code is unknown, expired or used.' });
    const fetch: FetchLike = async () => ({ status: 400, headers: { get: () => 'application/problem+json' }, text: async () => problem });
    const client = new PneumaticClient({ baseUrl: 'http://fake.test', token: 'old', fetch });
    const refusal = client.loginWithSsoCode('pnl_used');
    await expect(refusal).rejects.toBeInstanceOf(PneumaticError);
    await expect(refusal).rejects.toMatchObject({ code: 'invalid_login_code', status: 400 });
    expect(client.token).toBe('old');
  });

  it('lists and unlinks identities with the token', async () => {
    const identity = { provider: 'corp', provider_name: 'Corp', email: 'jdoe@corp.test', linked_at: '2026-12-06T10:00:00.000Z', last_login_at: null };
    const { client, sent } = recordingClient((s) => (s.method === 'GET' ? { identities: [identity], has_password: true } : undefined));
    expect(await client.listIdentities()).toEqual({ identities: [identity], has_password: true });
    await client.unlinkIdentity('corp/x');
    expect(sent.map(line)).toEqual(['GET /users/me/identities', 'DELETE /users/me/identities/corp%2Fx']);
    expect(sent.every((s) => s.authorized)).toBe(true);
  });
});
