/**
 * The SDK's registration and invite requests as they leave the client (a fake fetch records
 * them), as docs/API.md ("Registration and invites") has them: sign-up with and without an
 * invite code and login options without the token, invites with it; and the invite limits the
 * SDK copies kept equal to the protocol's.
 */
import * as Protocol from '@pneumatic/protocol';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import * as InviteLimits from '../../src/invite-limits.js';
import type { LoginOptions } from '../../src/types.js';
import { line, recordingClient } from './recording-client.js';

const invite = { id: 'i1', created_by: 'u1', created_at: '2026-12-06T10:00:00.000Z', expires_at: '2026-12-13T10:00:00.000Z', max_uses: 5, uses: 0 };

describe('registration and invite requests', () => {
  it('signs up with an invite code only when one is given, without the old token, and adopts the new one', async () => {
    const { client, sent } = recordingClient((s) => (s.url.pathname === '/users' ? { user: { id: 'u2', username: 'bea' }, token: 'new' } : undefined));
    await client.register('bea', 'correct horse battery', { invite: 'pni_abc' });
    expect(client.token).toBe('new');
    expect(client.user).toMatchObject({ id: 'u2' });
    await client.register('cy', 'correct horse battery');
    await client.createUser('di', 'correct horse battery', {});
    expect(sent.map(line)).toEqual([
      'POST /users {"username":"bea","password":"correct horse battery","invite":"pni_abc"}',
      'POST /users {"username":"cy","password":"correct horse battery"}',
      'POST /users {"username":"di","password":"correct horse battery"}',
    ]);
    expect(sent.map((s) => s.authorized)).toEqual([false, false, false]);
  });

  it('asks for the login options without a token', async () => {
    const answer = { registration: 'invite', password_login: false, providers: [{ id: 'corp', name: 'Corp' }] };
    const { client, sent } = recordingClient(() => answer);
    expect(await client.getLoginOptions()).toEqual(answer);
    expect(sent.map(line)).toEqual(['GET /login-options']);
    expect(sent[0]!.authorized).toBe(false);
  });

  it('makes, lists and revokes invites with the token', async () => {
    const created = { invite, code: 'pni_x', path: '/#/invite/pni_x' };
    const { client, sent } = recordingClient((s) => (s.method === 'POST' ? created : s.method === 'GET' ? { invites: [invite] } : undefined));
    expect(await client.createInvite({ expires_in_seconds: 86_400, max_uses: 5 })).toEqual(created);
    await client.createInvite();
    expect(await client.listInvites()).toEqual([invite]);
    await client.revokeInvite('i/1');
    expect(sent.map(line)).toEqual(['POST /invites {"expires_in_seconds":86400,"max_uses":5}', 'POST /invites {}', 'GET /invites', 'DELETE /invites/i%2F1']);
    expect(sent.every((s) => s.authorized)).toBe(true);
  });

  it('copies the protocol’s registration policies and invite limits exactly', () => {
    expect(InviteLimits.REGISTRATION_POLICIES).toEqual(Protocol.REGISTRATION_POLICIES);
    expect(InviteLimits.INVITE_CODE_PREFIX).toBe(Protocol.INVITE_CODE_PREFIX);
    expect(InviteLimits.INVITE_EXPIRY_MIN_SECONDS).toBe(Protocol.INVITE_EXPIRY_MIN_SECONDS);
    expect(InviteLimits.INVITE_EXPIRY_MAX_SECONDS).toBe(Protocol.INVITE_EXPIRY_MAX_SECONDS);
    expect(InviteLimits.INVITE_EXPIRY_DEFAULT_SECONDS).toBe(Protocol.INVITE_EXPIRY_DEFAULT_SECONDS);
    expect(InviteLimits.INVITE_USES_MAX).toBe(Protocol.INVITE_USES_MAX);
  });

  it('types the login options as the server’s schema has them (the SDK writes the type out)', () => {
    const schema = Compile(Protocol.LoginOptions);
    for (const registration of InviteLimits.REGISTRATION_POLICIES) {
      const options: LoginOptions = { registration, password_login: true, providers: [{ id: 'corp', name: 'Corp' }] };
      expect(schema.Check(options)).toBe(true);
    }
    expect(schema.Check({ registration: 'sometimes', password_login: true })).toBe(false);
  });
});
