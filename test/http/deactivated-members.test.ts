/**
 * A deactivated account is put into no conversation (docs/API.md, "Deactivation"): neither a new
 * one nor an existing one (403 account_deactivated); reactivated, it can be again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNamed, createConversation, expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`deactivated accounts and conversations [${dialect}]`, () => {
    let server: TestServer;
    let admin: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'keeper' } });
      admin = await registerNamed(server.url, 'keeper');
    });
    afterAll(() => server.close());

    it('refuses a deactivated account in a new or existing conversation, and takes it back once reactivated', async () => {
      const [ana, gone, ben] = await Promise.all([registerUser(server.url, 'ana'), registerUser(server.url, 'gone'), registerUser(server.url, 'ben')]);
      const group = await createConversation(ana, [ben]);
      expect((await admin.api.patch(`/admin/users/${gone.user.id}`, { deactivated: true })).status).toBe(200);
      expectProblem(await ana.api.post('/conversations', { title: 'dm', member_ids: [gone.user.id] }), 403, 'account_deactivated');
      expectProblem(await ana.api.post('/conversations', { title: 'g', member_ids: [ben.user.id, gone.user.id] }), 403, 'account_deactivated');
      expectProblem(await ana.api.post(`/conversations/${group.id}/members`, { user_id: gone.user.id }), 403, 'account_deactivated');
      expect((await ana.api.get(`/conversations/${group.id}`)).body.members).toHaveLength(2);
      expect((await admin.api.patch(`/admin/users/${gone.user.id}`, { deactivated: false })).status).toBe(200);
      expect((await ana.api.post(`/conversations/${group.id}/members`, { user_id: gone.user.id })).status).toBe(201);
    });
  });
}
