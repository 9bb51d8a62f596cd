import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../../src/domain/security/tokens.js';
import { newTestServices } from '../fakes/test-services.js';

const IP = '192.0.2.1';

describe('AccountService', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  describe('register', () => {
    it('stores an argon2id hash, never the password or the token, and opens a session for the token', async () => {
      const { accounts, store } = newTestServices();
      const { user, token } = await accounts.register('Alice', 'correct horse', IP);
      expect(user).toMatchObject({ username: 'Alice' });
      const stored = await store.users.findByUsername('alice');
      expect(stored?.password_hash).toMatch(/^\$argon2id\$/);
      expect(stored?.password_hash).not.toContain('correct horse');
      const [session] = store.tables.sessions.values();
      expect(session).toMatchObject({ user_id: user.id, token_hash: hashToken(token) });
      expect(JSON.stringify([...store.tables.sessions.values()])).not.toContain(token);
      expect(await accounts.authenticate(token)).toEqual({ user, session_id: session!.id, expires_at: session!.expires_at, scopes: null });
    });

    it('refuses a username taken in any case', async () => {
      const { accounts } = newTestServices();
      await accounts.register('Alice', 'pw-one', IP);
      await expect(accounts.register('ALICE', 'pw-two', '192.0.2.2')).rejects.toMatchObject({ code: 'username_taken', status: 409 });
    });

    it('limits registrations per client address', async () => {
      const { accounts } = newTestServices({ limits: { registrations: 1 } });
      await accounts.register('one', 'pw', IP);
      await expect(accounts.register('two', 'pw', IP)).rejects.toMatchObject({ code: 'rate_limited' });
      await expect(accounts.register('two', 'pw', '192.0.2.2')).resolves.toMatchObject({ user: { username: 'two' } });
    });
  });

  describe('login', () => {
    it('matches the username ignoring case and opens a new session each time', async () => {
      const { accounts } = newTestServices();
      const registered = await accounts.register('Alice', 'pw', IP);
      const login = await accounts.login('aLiCe', 'pw', IP);
      expect(login.user).toEqual(registered.user);
      expect(login.user).not.toHaveProperty('password_hash');
      expect(login.token).not.toBe(registered.token);
      expect((await accounts.authenticate(login.token))?.session_id).not.toBe((await accounts.authenticate(registered.token))?.session_id);
    });

    it('answers a wrong password and an unknown user alike', async () => {
      const { accounts } = newTestServices();
      await accounts.register('alice', 'pw', IP);
      const wrong = await accounts.login('alice', 'nope', IP).catch((e: unknown) => e);
      const unknown = await accounts.login('nobody', 'pw', IP).catch((e: unknown) => e);
      expect(wrong).toMatchObject({ code: 'invalid_credentials', status: 401 });
      expect(unknown).toMatchObject({ code: 'invalid_credentials', status: 401, detail: (wrong as Error & { detail: string }).detail });
    });

    it('compares passwords after NFC normalization', async () => {
      const { accounts } = newTestServices();
      // "amélie" with a combining accent at registration, precomposed at login.
      await accounts.register('amelie', 'ame\u0301lie', IP);
      await expect(accounts.login('amelie', 'am\u00e9lie', IP)).resolves.toBeTruthy();
      await expect(accounts.login('amelie', 'amelie', IP)).rejects.toMatchObject({ code: 'invalid_credentials' });
    });

    it('refuses a username from an address after too many failures there, but never locks the owner out from another', async () => {
      const { accounts } = newTestServices({ limits: { login_failures: 2 } });
      await accounts.register('alice', 'pw', IP);
      await expect(accounts.login('alice', 'bad', IP)).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(accounts.login('ALICE', 'bad', IP)).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(accounts.login('alice', 'pw', IP)).rejects.toMatchObject({ code: 'rate_limited' });
      await expect(accounts.login('Alice', 'pw', '198.51.100.7')).resolves.toBeTruthy();
    });

    it('holds a username whose failures come from many addresses, except for an address that logged in to it before', async () => {
      const { accounts } = newTestServices();
      await accounts.register('alice', 'pw', IP);
      await accounts.login('alice', 'pw', IP);
      for (let i = 1; i <= 6; i++) await expect(accounts.login('alice', 'bad', `203.0.113.${i}`)).rejects.toMatchObject({ code: 'invalid_credentials' });
      await expect(accounts.login('alice', 'pw', '198.51.100.7')).rejects.toMatchObject({ code: 'rate_limited' });
      await expect(accounts.login('alice', 'pw', IP)).resolves.toBeTruthy();
    });

    it('limits login attempts per client address', async () => {
      const { accounts } = newTestServices({ limits: { logins: 2 } });
      await accounts.register('alice', 'pw', IP);
      await accounts.login('alice', 'pw', IP);
      await accounts.login('alice', 'pw', IP);
      await expect(accounts.login('alice', 'pw', IP)).rejects.toMatchObject({ code: 'rate_limited' });
      await expect(accounts.login('alice', 'pw', '192.0.2.2')).resolves.toBeTruthy();
    });
  });

  describe('sessions', () => {
    it('does not authenticate an unknown token or one past its lifetime', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-01-01T00:00:00.000Z'));
      const { accounts } = newTestServices({ sessionTtlSeconds: 60 });
      const { token } = await accounts.register('alice', 'pw', IP);
      expect(await accounts.authenticate('not-a-token')).toBeNull();
      vi.setSystemTime(new Date('2026-01-01T00:00:59.999Z'));
      expect(await accounts.authenticate(token)).not.toBeNull();
      vi.setSystemTime(new Date('2026-01-01T00:01:00.000Z'));
      expect(await accounts.authenticate(token)).toBeNull();
    });

    it("logout ends only the caller's session and announces it", async () => {
      const { accounts, events } = newTestServices();
      const first = await accounts.register('alice', 'pw', IP);
      const second = await accounts.login('alice', 'pw', IP);
      const principal = (await accounts.authenticate(first.token))!;
      await accounts.logout(principal, false);
      expect(await accounts.authenticate(first.token)).toBeNull();
      expect(await accounts.authenticate(second.token)).not.toBeNull();
      expect(events.take()).toEqual([{ type: 'sessions.revoked', user_id: first.user.id, session_ids: [principal.session_id], reason: 'logout' }]);
    });

    it('logout everywhere ends every session of the user, and names each; other users keep theirs', async () => {
      const { accounts, events } = newTestServices();
      const first = await accounts.register('alice', 'pw', IP);
      const second = await accounts.login('alice', 'pw', IP);
      const bob = await accounts.register('bob', 'pw', IP);
      const ids = [(await accounts.authenticate(first.token))!.session_id, (await accounts.authenticate(second.token))!.session_id];
      await accounts.logout((await accounts.authenticate(second.token))!, true);
      expect(await accounts.authenticate(first.token)).toBeNull();
      expect(await accounts.authenticate(second.token)).toBeNull();
      expect(await accounts.authenticate(bob.token)).not.toBeNull();
      const [event, ...rest] = events.take();
      expect(rest).toEqual([]);
      expect(event).toMatchObject({ type: 'sessions.revoked', user_id: first.user.id, reason: 'logout' });
      expect(event?.type === 'sessions.revoked' && [...event.session_ids].sort()).toEqual(ids.sort());
    });
  });

  describe('users', () => {
    it('finds a user by id, or answers user_not_found', async () => {
      const { accounts } = newTestServices();
      const { user } = await accounts.register('alice', 'pw', IP);
      expect(await accounts.getUser(user.id)).toEqual(user);
      await expect(accounts.getUser('00000000-0000-4000-8000-000000000000')).rejects.toMatchObject({ code: 'user_not_found', status: 404 });
    });

    it('finds by exact username ignoring case, without the password hash', async () => {
      const { accounts } = newTestServices();
      const { user } = await accounts.register('Alice', 'pw', IP);
      expect(await accounts.findByUsername('alice')).toEqual([user]);
      expect(await accounts.findByUsername('ali')).toEqual([]);
    });
  });
});
