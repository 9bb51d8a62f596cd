/**
 * Incoming webhooks (docs/API.md, "Incoming webhooks"): a member makes a secret URL that posts
 * `{"content"}` into the conversation as a new bot, with no token; an Idempotency-Key makes a
 * retry post nothing new; a wrong, malformed or revoked secret is 404 alike; only members see
 * the list, only the creator or an owner revokes; and bad input is a 4xx with its code.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`incoming webhooks [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let eve: TestUser;
    let anonymous: Api;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, eve] = await registerUsers(server.url, 'alice', 'bob', 'eve');
      anonymous = new Api(server.url);
    });
    afterAll(() => server.close());

    const makeHook = async (conversationId: string, by: TestUser = alice) => {
      const created = await by.api.post(`/conversations/${conversationId}/incoming-webhooks`, { username: `ci${randomUUID().slice(0, 8)}` });
      expect(created.status).toBe(201);
      return created.body as { webhook: { id: string; bot: { id: string; is_bot: boolean }; created_by: string }; url: string; secret: string };
    };
    const pathOf = (hook: { secret: string }) => `/hooks/${hook.secret}`;

    it('posts as a new bot member, with no token, and members see the message live', async () => {
      const conversation = await createConversation(alice, [bob]);
      const hook = await makeHook(conversation.id);
      expect(hook.secret).toMatch(/^pnh_[A-Za-z0-9_-]{43}$/);
      expect(hook.url).toBe(`${server.url}/hooks/${hook.secret}`);
      expect(hook.webhook.bot.is_bot).toBe(true);
      expect(hook.webhook.created_by).toBe(alice.user.id);
      const members = (await bob.api.get(`/conversations/${conversation.id}`)).body.members as { user_id: string; is_bot: boolean }[];
      expect(members.find((m) => m.user_id === hook.webhook.bot.id)?.is_bot).toBe(true);

      const socket = await TestSocket.open(server.wsUrl, { token: bob.token });
      try {
        const posted = await anonymous.post(pathOf(hook), { content: 'Build #42 passed' });
        expect(posted.status).toBe(201);
        expect(posted.body).toMatchObject({ conversation_id: conversation.id, sender_id: hook.webhook.bot.id, content: 'Build #42 passed' });
        await socket.waitFor((f) => f.type === 'message' && f.message.message_id === posted.body.message_id);
      } finally {
        socket.close();
      }
    });

    it('stores a post once per Idempotency-Key: a retry answers 200 with the stored message, another key posts again', async () => {
      const conversation = await createConversation(alice, [bob]);
      const hook = await makeHook(conversation.id);
      const headers = { 'idempotency-key': 'deploy-2026-12-06-1' };
      const first = await anonymous.post(pathOf(hook), { content: 'deployed' }, { headers });
      const again = await anonymous.post(pathOf(hook), { content: 'deployed' }, { headers });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expectProblem(await anonymous.post(pathOf(hook), { content: 'something else' }, { headers }), 409, 'message_id_conflict');
      expect((await anonymous.post(pathOf(hook), { content: 'deployed' }, { headers: { 'idempotency-key': 'deploy-2026-12-06-2' } })).status).toBe(201);
      const stored = (await bob.api.get(`/conversations/${conversation.id}/messages?after=0`)).body.messages as { sender_id: string }[];
      expect(stored.filter((m) => m.sender_id === hook.webhook.bot.id)).toHaveLength(2);
    });

    it('answers 404 alike for a wrong, malformed or revoked secret, and stores nothing', async () => {
      const conversation = await createConversation(alice, [bob]);
      const hook = await makeHook(conversation.id);
      const wrong = `${hook.secret.slice(0, -1)}${hook.secret.endsWith('A') ? 'B' : 'A'}`;
      for (const secret of [wrong, 'pnh_short', 'not-a-secret', `pnt_${hook.secret.slice(4)}`]) {
        const refused = await anonymous.post(`/hooks/${encodeURIComponent(secret)}`, { content: 'x' });
        expectProblem(refused, 404, 'not_found');
        expect(refused.body.detail).toBe('No incoming webhook has this URL.');
      }
      expectProblem(await eve.api.delete(`/conversations/${conversation.id}/incoming-webhooks/${hook.webhook.id}`), 403, 'not_member');
      expectProblem(await bob.api.delete(`/conversations/${conversation.id}/incoming-webhooks/${hook.webhook.id}`), 403, 'not_owner');
      expect((await alice.api.delete(`/conversations/${conversation.id}/incoming-webhooks/${hook.webhook.id}`)).status).toBe(204);
      expectProblem(await anonymous.post(pathOf(hook), { content: 'after revoking' }), 404, 'not_found');
      const stored = (await bob.api.get(`/conversations/${conversation.id}/messages?after=0`)).body.messages as unknown[];
      expect(stored).toHaveLength(0);
    });

    it('lists a conversation’s webhooks to its members only, never their secrets; an owner revokes any', async () => {
      const conversation = await createConversation(alice, [bob]);
      const byBob = await makeHook(conversation.id, bob);
      const listed = await alice.api.get(`/conversations/${conversation.id}/incoming-webhooks`);
      expect(listed.status).toBe(200);
      expect(listed.body.webhooks).toEqual([byBob.webhook]);
      expect(JSON.stringify(listed.body)).not.toContain(byBob.secret.slice(4));
      expectProblem(await eve.api.get(`/conversations/${conversation.id}/incoming-webhooks`), 403, 'not_member');
      expectProblem(await eve.api.post(`/conversations/${conversation.id}/incoming-webhooks`, { username: `x${randomUUID().slice(0, 8)}` }), 403, 'not_member');
      expect((await alice.api.delete(`/conversations/${conversation.id}/incoming-webhooks/${byBob.webhook.id}`)).status).toBe(204);
      expectProblem(await alice.api.delete(`/conversations/${conversation.id}/incoming-webhooks/${byBob.webhook.id}`), 404, 'not_found');
    });

    it('refuses bad input with a 4xx and its code', async () => {
      const conversation = await createConversation(alice, [bob]);
      const hook = await makeHook(conversation.id);
      expectProblem(await anonymous.post(pathOf(hook), { content: '' }), 400, 'invalid_request');
      expectProblem(await anonymous.post(pathOf(hook), {}), 400, 'invalid_request');
      const limits = (await anonymous.get('/limits')).body as { content_max_chars: number; body_max_bytes: number };
      expectProblem(await anonymous.post(pathOf(hook), { content: 'x'.repeat(limits.content_max_chars + 1) }), 400, 'invalid_request');
      expectProblem(await anonymous.post(pathOf(hook), { content: 'x'.repeat(limits.body_max_bytes + 1) }), 413, 'payload_too_large');
      expectProblem(await anonymous.post(pathOf(hook), { content: 'x' }, { headers: { 'idempotency-key': 'has space' } }), 400, 'invalid_request');
      expectProblem(await anonymous.post(pathOf(hook), { content: 'x' }, { headers: { 'idempotency-key': 'k'.repeat(256) } }), 400, 'invalid_request');
      expectProblem(await anonymous.request('POST', pathOf(hook), { rawBody: '{"content":', headers: { 'content-type': 'application/json' } }), 400, 'invalid_json');
      expectProblem(await alice.api.post(`/conversations/${conversation.id}/incoming-webhooks`, { username: alice.user.username }), 409, 'username_taken');
      expectProblem(await alice.api.post(`/conversations/${conversation.id}/incoming-webhooks`, { username: 'has space' }), 400, 'invalid_request');
      expectProblem(await alice.api.post(`/conversations/${randomUUID()}/incoming-webhooks`, { username: `x${randomUUID().slice(0, 8)}` }), 404, 'not_found');
    });
  });
}
