/** A user's login sessions and password (docs/API.md, "Password and sessions"), on the in-memory store. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Principal } from '../../../src/domain/account.service.js';
import { newTestServices, type TestServiceOptions } from '../fakes/test-services.js';

const IP = '192.0.2.1';
const CHROME = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0';

async function arrange(options: TestServiceOptions = {}) {
  const t = newTestServices(options);
  /** The principal of a new login session, with its bearer token. */
  const signIn = async (username: string, password: string, client: { user_agent?: string; ip?: string }, register = false): Promise<Principal & { token: string }> => {
    const { token } = register ? await t.accounts.register(username, password, IP, client) : await t.accounts.login(username, password, IP, client);
    const principal = await t.accounts.authenticate(token);
    if (!principal) throw new Error('the new token does not authenticate');
    return { ...principal, token };
  };
  const laptop = await signIn('alice', 'old password', { user_agent: CHROME, ip: '203.0.113.7' }, true);
  const phone = await signIn('alice', 'old password', { user_agent: FIREFOX, ip: '2001:db8:abcd:1::9' });
  const bob = await signIn('bob', 'bob password', {}, true);
  /** An API token of alice's, as the token service stores one. */
  const tokenId = randomUUID();
  await t.store.sessions.create({ id: tokenId, token_hash: tokenId, user_id: laptop.user.id, created_at: new Date().toISOString(), expires_at: '2999-01-01T00:00:00.000Z', token: { name: 'ci', scopes: ['messages:read'] } });
  t.events.take();
  return { ...t, signIn, laptop, phone, bob, tokenId };
}

describe('SessionService.list', () => {
  it("lists the user's logins (not their API tokens), marking the current one, with the client described and only the network kept", async () => {
    const { sessions, laptop, phone } = await arrange();
    const listed = await sessions.list(phone);
    expect(listed.map((s) => s.id).sort()).toEqual([laptop.session_id, phone.session_id].sort());
    expect(listed.find((s) => s.id === phone.session_id)).toMatchObject({ current: true, client: 'Firefox 133 on macOS', ip: '2001:db8:abcd::/48' });
    expect(listed.find((s) => s.id === laptop.session_id)).toMatchObject({ current: false, client: 'Chrome 131 on Linux', ip: '203.0.113.0/24' });
    for (const session of listed) expect(session.last_used_at).toBe(session.created_at);
  });

  it('lists the most recently used first, with where it was last used from', async () => {
    const { sessions, store, laptop, phone } = await arrange();
    const later = new Date(Date.now() + 60_000).toISOString();
    await store.sessions.recordUse(laptop.session_id, { at: later, user_agent: FIREFOX, ip: '198.51.100.0/24' });
    expect((await sessions.list(phone)).map((s) => [s.id, s.last_used_at, s.client, s.ip])).toEqual([
      [laptop.session_id, later, 'Firefox 133 on macOS', '198.51.100.0/24'],
      [phone.session_id, expect.any(String), 'Firefox 133 on macOS', '2001:db8:abcd::/48'],
    ]);
  });

  it('needs the account:manage scope', async () => {
    const { sessions, laptop } = await arrange();
    await expect(sessions.list({ ...laptop, scopes: ['messages:read'] })).rejects.toMatchObject({ code: 'insufficient_scope', status: 403 });
  });
});

describe('SessionService.revoke', () => {
  it('logs one of the caller’s sessions out and closes its sockets', async () => {
    const { sessions, events, accounts, laptop, phone } = await arrange();
    await sessions.revoke(laptop, phone.session_id.toUpperCase());
    expect(events.take()).toEqual([{ type: 'sessions.revoked', user_id: laptop.user.id, session_ids: [phone.session_id], reason: 'session_revoked' }]);
    expect((await sessions.list(laptop)).map((s) => s.id)).toEqual([laptop.session_id]);
    expect(await accounts.authenticate(phone.token)).toBeNull();
    expect(await accounts.authenticate(laptop.token)).toMatchObject({ session_id: laptop.session_id });
  });

  it("answers not_found for another user's session, an API token or an unknown id, revoking nothing", async () => {
    const { sessions, events, laptop, bob, tokenId } = await arrange();
    for (const id of [bob.session_id, tokenId, randomUUID()]) {
      await expect(sessions.revoke(laptop, id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    }
    expect(events.take()).toEqual([]);
    expect(await sessions.list(bob)).toHaveLength(1);
  });
});

describe('SessionService.changePassword', () => {
  it('sets the new password and logs out every other login, keeping the calling session and API tokens', async () => {
    const { sessions, events, accounts, store, laptop, phone, tokenId } = await arrange();
    await sessions.changePassword(laptop, 'old password', 'new password', IP);
    expect(events.take()).toEqual([{ type: 'sessions.revoked', user_id: laptop.user.id, session_ids: [phone.session_id], reason: 'password_changed' }]);
    expect((await sessions.list(laptop)).map((s) => s.id)).toEqual([laptop.session_id]);
    expect(store.tables.sessions.has(tokenId)).toBe(true);
    expect(await accounts.authenticate(phone.token)).toBeNull();
    await expect(accounts.login('alice', 'old password', IP)).rejects.toMatchObject({ code: 'invalid_credentials' });
    await expect(accounts.login('alice', 'new password', IP)).resolves.toMatchObject({ user: { id: laptop.user.id } });
  });

  it('publishes nothing when there was no other login', async () => {
    const { sessions, events, bob } = await arrange();
    await sessions.changePassword(bob, 'bob password', 'another one', IP);
    expect(events.take()).toEqual([]);
  });

  it('refuses a wrong current password with wrong_password, changing nothing, and counts it as a failed login', async () => {
    const { sessions, events, accounts, limiter, laptop, phone } = await arrange();
    await expect(sessions.changePassword(laptop, 'guess', 'new password', IP)).rejects.toMatchObject({ code: 'wrong_password', status: 403 });
    expect(events.take()).toEqual([]);
    expect(await sessions.list(phone)).toHaveLength(2);
    expect(limiter.used('login_failures', `alice\n${IP}`)).toBe(1);
    await expect(accounts.login('alice', 'old password', IP)).resolves.toBeDefined();
  });

  it('is refused by the login guard once the failures of this user and address are spent', async () => {
    const { sessions, laptop } = await arrange({ limits: { login_failures: 1 } });
    await expect(sessions.changePassword(laptop, 'guess', 'new password', IP)).rejects.toMatchObject({ code: 'wrong_password' });
    await expect(sessions.changePassword(laptop, 'old password', 'new password', IP)).rejects.toMatchObject({ code: 'rate_limited' });
    await expect(sessions.changePassword(laptop, 'old password', 'new password', '192.0.2.99')).resolves.toBeUndefined();
  });

  it('is forbidden for a bot, which has no password', async () => {
    const { sessions, store, laptop } = await arrange();
    const bot = await store.users.create({ id: randomUUID(), username: 'helper-bot', created_at: new Date().toISOString(), password_hash: 'unused', bot_owner_id: laptop.user.id });
    const principal = { user: bot!, session_id: randomUUID(), expires_at: '2999-01-01T00:00:00.000Z', scopes: null };
    await expect(sessions.changePassword(principal, 'unused', 'new password', IP)).rejects.toMatchObject({ code: 'forbidden', status: 403 });
  });
});
