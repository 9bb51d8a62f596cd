/**
 * Administration (docs/API.md, "Administration"): ADMIN_USERNAMES appoints the first admin; admins
 * list users and change roles; the server keeps an active admin; deactivation closes every way in
 * (sockets close with 4503, login tokens, API tokens and the user's bots' tokens answer 401, login
 * is refused) while the history stays; reactivation lets the user log in again; every change is in
 * the audit log, which filters and pages. Members and tokens without the admin scope get 403
 * forbidden everywhere here (the authorization matrix covers every route and role).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const PASSWORD = 'correct horse battery';

/** Signs up a user with an exact username (ADMIN_USERNAMES names them). */
async function signUp(server: TestServer, username: string): Promise<TestUser> {
  const response = await new Api(server.url).post('/users', { username, password: PASSWORD });
  expect(response.status).toBe(201);
  return { user: response.body.user, token: response.body.token, password: PASSWORD, api: new Api(server.url, response.body.token) };
}

for (const dialect of enabledDialects()) {
  describe(`administration [${dialect}]`, () => {
    let server: TestServer;
    let boss: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'Boss,later_admin' } });
      boss = await signUp(server, 'boss');
    });
    afterAll(() => server.close());

    it('makes a listed account an admin as it signs up (any case), tells you your own role only (GET /users/me/role), and audits it with no actor', async () => {
      expect((await boss.api.get('/users/me/role')).body).toEqual({ role: 'admin' });
      const me = (await boss.api.get('/users/me')).body;
      expect(me).toEqual(boss.user);
      expect(me).toMatchObject({ username: 'boss', deactivated: false });
      expect(me).not.toHaveProperty('role');
      const member = await registerUser(server.url, 'plain');
      expect((await member.api.get('/users/me/role')).body).toEqual({ role: 'member' });
      expect((await member.api.get(`/users/${boss.user.id}`)).body).toEqual(boss.user);
      const audit = await boss.api.get(`/admin/audit?target_id=${boss.user.id}`);
      expect(audit.status).toBe(200);
      expect(audit.body.entries).toEqual([
        expect.objectContaining({ actor_id: null, action: 'user.role_changed', target_type: 'user', target_id: boss.user.id, before: { role: 'member' }, after: { role: 'admin' } }),
      ]);
    });

    it('lists users with roles and state, by username prefix and role, in pages', async () => {
      const prefix = `lst${randomUUID().slice(0, 6)}`;
      for (const n of [1, 2, 3]) await signUp(server, `${prefix}_${n}`);
      const first = await boss.api.get(`/admin/users?q=${prefix.toUpperCase()}&limit=2`);
      expect(first.status).toBe(200);
      expect(first.body.users.map((u: { username: string }) => u.username)).toEqual([`${prefix}_1`, `${prefix}_2`]);
      expect(first.body.users[0]).toMatchObject({ role: 'member', deactivated: false, deactivated_at: null, bot_owner_id: null, is_bot: false });
      const second = await boss.api.get(`/admin/users?q=${prefix}&limit=2&cursor=${first.body.next_cursor}`);
      expect(second.body).toMatchObject({ users: [expect.objectContaining({ username: `${prefix}_3` })], next_cursor: null });
      const admins = await boss.api.get('/admin/users?role=admin');
      expect(admins.body.users.map((u: { username: string }) => u.username)).toContain('boss');
      expect(admins.body.users.every((u: { role: string }) => u.role === 'admin')).toBe(true);
      expectProblem(await boss.api.get('/admin/users?cursor=not-a-cursor'), 400, 'invalid_cursor');
      expectProblem(await boss.api.get('/admin/users?limit=1000'), 400);
      expectProblem(await boss.api.get(`/admin/users/${randomUUID()}`), 404, 'user_not_found');
    });

    it('refuses members and admin tokens without the admin scope with 403 forbidden; an admin-scoped token works', async () => {
      const member = await registerUser(server.url, 'member');
      for (const [method, path, body] of [
        ['GET', '/admin/users', undefined],
        ['GET', `/admin/users/${boss.user.id}`, undefined],
        ['PATCH', `/admin/users/${member.user.id}`, { role: 'admin' }],
        ['DELETE', `/admin/messages/${randomUUID()}`, undefined],
        ['DELETE', `/admin/conversations/${randomUUID()}/members/${member.user.id}`, undefined],
        ['GET', '/admin/audit', undefined],
      ] as const) {
        expectProblem(await member.api.request(method, path, body === undefined ? {} : { body }), 403, 'forbidden');
      }
      const memberAdminToken = (await member.api.post('/tokens', { name: 'sneaky', scopes: ['admin'] })).body.secret as string;
      expectProblem(await member.api.as(memberAdminToken).get('/admin/users'), 403, 'forbidden');
      const narrow = (await boss.api.post('/tokens', { name: 'read only', scopes: ['messages:read'] })).body.secret as string;
      expectProblem(await boss.api.as(narrow).get('/admin/users'), 403, 'forbidden');
      const wide = (await boss.api.post('/tokens', { name: 'admin', scopes: ['admin'] })).body.secret as string;
      expect((await boss.api.as(wide).get('/admin/users')).status).toBe(200);
    });

    it('grants and takes the admin role (audited with actor and request id), and never leaves the server without an active admin', async () => {
      const deputy = await registerUser(server.url, 'deputy');
      const granted = await boss.api.patch(`/admin/users/${deputy.user.id}`, { role: 'admin' });
      expect(granted.status).toBe(200);
      expect(granted.body).toMatchObject({ id: deputy.user.id, role: 'admin' });
      // The new role works at the deputy's next request, with the token they already had.
      expect((await deputy.api.get('/admin/users')).status).toBe(200);
      expect((await deputy.api.patch(`/admin/users/${deputy.user.id}`, { role: 'member' })).body.role).toBe('member');
      expectProblem(await deputy.api.get('/admin/users'), 403, 'forbidden');

      const entries = (await boss.api.get(`/admin/audit?target_id=${deputy.user.id}&action=user.role_changed`)).body.entries;
      expect(entries.map((e: { actor_id: string; after: unknown }) => [e.actor_id, e.after])).toEqual([
        [deputy.user.id, { role: 'member' }],
        [boss.user.id, { role: 'admin' }],
      ]);
      expect(entries[0].request_id).toEqual(expect.any(String));

      // boss is now the only active admin.
      const admins = (await boss.api.get('/admin/users?role=admin&deactivated=false')).body.users;
      expect(admins.map((u: { id: string }) => u.id)).toEqual([boss.user.id]);
      expectProblem(await boss.api.patch(`/admin/users/${boss.user.id}`, { role: 'member' }), 409, 'last_admin');
      expectProblem(await boss.api.patch(`/admin/users/${boss.user.id}`, { deactivated: true }), 409, 'last_admin');
      expect((await boss.api.get('/users/me/role')).body.role).toBe('admin');
      // No change, no entry.
      const before = (await boss.api.get('/admin/audit')).body.entries.length;
      expect((await boss.api.patch(`/admin/users/${boss.user.id}`, { role: 'admin' })).status).toBe(200);
      expect((await boss.api.get('/admin/audit')).body.entries.length).toBe(before);
      expectProblem(await boss.api.patch(`/admin/users/${boss.user.id}`, {}), 400);
      expectProblem(await boss.api.patch(`/admin/users/${boss.user.id}`, { role: 'owner' }), 400);
      expectProblem(await boss.api.patch(`/admin/users/${randomUUID()}`, { role: 'admin' }), 404, 'user_not_found');
    });

    it('deactivation closes every way in: sockets close with 4503, tokens, API tokens and bot tokens answer 401, login is refused; history stays', async () => {
      const [target, witness] = [await registerUser(server.url, 'leaver'), await registerUser(server.url, 'witness')];
      const conversation = await createConversation(witness, [target]);
      const said = await sendMessage(target, conversation.id, 'my last words');
      const apiToken = (await target.api.post('/tokens', { name: 'script', scopes: ['messages:read'] })).body.secret as string;
      const bot = (await target.api.post('/bots', { username: `bot${randomUUID().slice(0, 8)}` })).body.user as { id: string };
      const botToken = (await target.api.post(`/bots/${bot.id}/tokens`, { name: 'runtime', scopes: ['messages:read'] })).body.secret as string;
      const socket = await TestSocket.open(server.wsUrl, { token: target.token });
      const botSocket = await TestSocket.open(server.wsUrl, { token: botToken });
      const witnessSocket = await TestSocket.open(server.wsUrl, { token: witness.token });
      try {
        const deactivated = await boss.api.patch(`/admin/users/${target.user.id}`, { deactivated: true });
        expect(deactivated.status).toBe(200);
        expect(deactivated.body).toMatchObject({ deactivated: true, deactivated_at: expect.any(String) });
        expect(await socket.waitForClose()).toEqual({ code: 4503, reason: 'account deactivated' });
        expect((await botSocket.waitForClose()).code).toBe(4503);
        for (const token of [target.token, apiToken, botToken]) expectProblem(await new Api(server.url, token).get('/users/me'), 401, 'unauthorized');
        expectProblem(await new Api(server.url).post('/sessions', { username: target.user.username, password: PASSWORD }), 403, 'account_deactivated');
        // Only the right password learns why.
        expectProblem(await new Api(server.url).post('/sessions', { username: target.user.username, password: 'wrong password!' }), 401, 'invalid_credentials');
        await expect(TestSocket.open(server.wsUrl, { token: target.token })).rejects.toThrow();
        // The witness's socket stays; the history stays, shown as a deactivated user.
        expect(witnessSocket.closed).toBeNull();
        const history = await witness.api.get(`/conversations/${conversation.id}/messages`);
        expect(history.body.messages.map((m: { message_id: string }) => m.message_id)).toContain(said.message_id);
        expect((await witness.api.get(`/users/${target.user.id}`)).body).toMatchObject({ deactivated: true });

        const reactivated = await boss.api.patch(`/admin/users/${target.user.id}`, { deactivated: false });
        expect(reactivated.body).toMatchObject({ deactivated: false, deactivated_at: null });
        const login = await new Api(server.url).post('/sessions', { username: target.user.username, password: PASSWORD });
        expect(login.status).toBe(201);
        // What was revoked stays revoked.
        expectProblem(await new Api(server.url, apiToken).get('/users/me'), 401, 'unauthorized');

        const actions = (await boss.api.get(`/admin/audit?target_id=${target.user.id}`)).body.entries.map((e: { action: string }) => e.action);
        expect(actions).toEqual(['user.reactivated', 'user.deactivated']);
      } finally {
        for (const s of [socket, botSocket, witnessSocket]) s.ws.close();
      }
    });

    it('deletes any message and removes anyone from any conversation, announced to the members and audited', async () => {
      const [owner, member] = [await registerUser(server.url, 'owner'), await registerUser(server.url, 'member')];
      const conversation = await createConversation(owner, [member]);
      const message = await sendMessage(member, conversation.id, 'spam spam spam');
      const socket = await TestSocket.open(server.wsUrl, { token: owner.token });
      try {
        expect((await boss.api.delete(`/admin/messages/${message.message_id}`)).status).toBe(204);
        const update = await socket.waitFor((f) => f.type === 'message.updated');
        expect(update.message).toMatchObject({ message_id: message.message_id, deleted: true, content: '' });
        // Deleting again changes nothing and writes nothing.
        expect((await boss.api.delete(`/admin/messages/${message.message_id}`)).status).toBe(204);
        expectProblem(await boss.api.delete(`/admin/messages/${randomUUID()}`), 404, 'not_found');

        expect((await boss.api.delete(`/admin/conversations/${conversation.id}/members/${member.user.id}`)).status).toBe(204);
        await socket.waitFor((f) => f.type === 'member.removed' && f.user_id === member.user.id);
        expectProblem(await member.api.get(`/conversations/${conversation.id}`), 403, 'not_member');
        expectProblem(await boss.api.delete(`/admin/conversations/${conversation.id}/members/${member.user.id}`), 404, 'not_found');
        expectProblem(await boss.api.delete(`/admin/conversations/${randomUUID()}/members/${member.user.id}`), 404, 'not_found');

        const entries = (await boss.api.get(`/admin/audit?actor_id=${boss.user.id}&since=${encodeURIComponent(message.created_at)}`)).body.entries;
        expect(entries.slice(0, 2)).toEqual([
          expect.objectContaining({ action: 'member.removed', target_type: 'user', target_id: member.user.id, conversation_id: conversation.id }),
          expect.objectContaining({ action: 'message.deleted', target_type: 'message', target_id: message.message_id, conversation_id: conversation.id, before: { sender_id: member.user.id, seq: message.seq } }),
        ]);
      } finally {
        socket.ws.close();
      }
    });

    it('pages the audit log newest first and filters by action and time; refuses a bad cursor or filter', async () => {
      const all = (await boss.api.get('/admin/audit?limit=100')).body.entries as Array<{ id: string; at: string }>;
      expect(all.length).toBeGreaterThan(4);
      const pages: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { entries: Array<{ id: string }>; next_cursor: string | null } } = await boss.api.get(`/admin/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        pages.push(...page.body.entries.map((e) => e.id));
        cursor = page.body.next_cursor;
      } while (cursor);
      expect(pages).toEqual(all.map((e) => e.id));
      const sorted = [...all].sort((a, b) => (a.at === b.at ? b.id.localeCompare(a.id) : b.at.localeCompare(a.at)));
      expect(all.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
      const until = (await boss.api.get(`/admin/audit?until=${encodeURIComponent(all[0]!.at)}`)).body.entries;
      expect(until.every((e: { at: string }) => e.at < all[0]!.at)).toBe(true);
      expectProblem(await boss.api.get('/admin/audit?cursor=eyJ4IjoxfQ'), 400, 'invalid_cursor');
      expectProblem(await boss.api.get('/admin/audit?action=user.exploded'), 400);
      expectProblem(await boss.api.get('/admin/audit?actor_id=nope'), 400);
    });

    it('appoints a listed account that signs up later, and no other', async () => {
      const later = await signUp(server, 'LATER_ADMIN');
      expect((await later.api.get('/users/me/role')).body.role).toBe('admin');
      const notListed = await signUp(server, `later_${randomUUID().slice(0, 6)}`);
      expect((await notListed.api.get('/users/me/role')).body.role).toBe('member');
    });
  });
}
