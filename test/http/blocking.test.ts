/**
 * Blocking (docs/API.md, "Blocking"): PUT, GET and DELETE /users/me/blocks; a blocked user
 * cannot start a conversation with the blocker or add them to one, and their mentions of the
 * blocker are dropped; conversations they already share keep working; unblocking undoes it all.
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`blocking [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      // Pushes to a closed port: the push thread keeps writing its queue beside the requests.
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', PUSH_ALLOW_INSECURE_ENDPOINTS: 'on', PUSH_POLL_MS: '20' } });
    });
    afterAll(() => server.close());

    async function pair(): Promise<{ blocker: TestUser; pest: TestUser; friend: TestUser }> {
      const [blocker, pest, friend] = await Promise.all([registerUser(server.url, 'blocker'), registerUser(server.url, 'pest'), registerUser(server.url, 'friend')]);
      return { blocker, pest, friend };
    }

    it('blocks, lists most recent first with the user, repeats harmlessly and unblocks', async () => {
      const { blocker, pest, friend } = await pair();
      expect((await blocker.api.get('/users/me/blocks')).body).toEqual({ blocks: [] });
      expect((await blocker.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      expect((await blocker.api.put(`/users/me/blocks/${friend.user.id}`)).status).toBe(204);
      const listed = (await blocker.api.get('/users/me/blocks')).body.blocks;
      expect(listed.map((b: any) => b.user)).toEqual([friend.user, pest.user]);
      expect(listed[1].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      // Blocking again keeps the first time.
      expect((await blocker.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      expect((await blocker.api.get('/users/me/blocks')).body.blocks).toEqual(listed);
      expect((await blocker.api.delete(`/users/me/blocks/${friend.user.id}`)).status).toBe(204);
      expect((await blocker.api.delete(`/users/me/blocks/${friend.user.id}`)).status).toBe(204);
      expect((await blocker.api.get('/users/me/blocks')).body.blocks.map((b: any) => b.user.id)).toEqual([pest.user.id]);
      // Nobody else sees it.
      expect((await pest.api.get('/users/me/blocks')).body).toEqual({ blocks: [] });
    });

    it('a blocked user cannot start a conversation with the blocker, alone or among others; the blocker can start one with them', async () => {
      const { blocker, pest, friend } = await pair();
      expect((await blocker.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      expectProblem(await pest.api.post('/conversations', { title: 'dm', member_ids: [blocker.user.id] }), 403, 'blocked');
      expectProblem(await pest.api.post('/conversations', { title: 'group', member_ids: [friend.user.id, blocker.user.id] }), 403, 'blocked');
      expect((await pest.api.get('/conversations')).body.conversations).toEqual([]);
      expect((await pest.api.post('/conversations', { title: 'ok', member_ids: [friend.user.id] })).status).toBe(201);
      expect((await blocker.api.post('/conversations', { title: 'mine', member_ids: [pest.user.id] })).status).toBe(201);
    });

    it('a blocked user cannot add the blocker to a conversation; anyone else can', async () => {
      const { blocker, pest, friend } = await pair();
      const group = await createConversation(pest, [friend]);
      expect((await blocker.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      expectProblem(await pest.api.post(`/conversations/${group.id}/members`, { user_id: blocker.user.id }), 403, 'blocked');
      expect((await friend.api.post(`/conversations/${group.id}/members`, { user_id: blocker.user.id })).status).toBe(201);
    });

    it('in a conversation they share, messages still flow both ways, but the blocked user\'s mentions of the blocker are dropped', async () => {
      const { blocker, pest, friend } = await pair();
      const shared = await createConversation(friend, [blocker, pest]);
      expect((await blocker.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      const mention = await pest.api.post(`/conversations/${shared.id}/messages`, { message_id: randomUUID(), content: `hey @${blocker.user.username} and @${friend.user.username}` });
      expect(mention.status).toBe(201);
      expect(mention.body.mentions).toEqual([friend.user.id]);
      const seen = (await blocker.api.get(`/conversations/${shared.id}/messages`)).body.messages;
      expect(seen.map((m: any) => m.message_id)).toEqual([mention.body.message_id]);
      // Nor does their @all count in the blocker's unread mentions; the friend's does.
      expect((await pest.api.post(`/conversations/${shared.id}/messages`, { message_id: randomUUID(), content: '@all look' })).body.mentions_all).toBe(true);
      const summary = (await blocker.api.get('/conversations')).body.conversations.find((c: any) => c.id === shared.id);
      expect(summary.unread_mentions).toBe(0);
      expect((await friend.api.post(`/conversations/${shared.id}/messages`, { message_id: randomUUID(), content: '@all lunch' })).status).toBe(201);
      expect((await blocker.api.get('/conversations')).body.conversations.find((c: any) => c.id === shared.id).unread_mentions).toBe(1);
      // The blocker may still mention and answer them.
      const back = await blocker.api.post(`/conversations/${shared.id}/messages`, { message_id: randomUUID(), content: `@${pest.user.username} stop` });
      expect(back.body.mentions).toEqual([pest.user.id]);
      // Unblocked, a mention counts again.
      expect((await blocker.api.delete(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);
      const again = await pest.api.post(`/conversations/${shared.id}/messages`, { message_id: randomUUID(), content: `sorry @${blocker.user.username}` });
      expect(again.body.mentions).toEqual([blocker.user.id]);
      expectOk(await pest.api.post('/conversations', { title: 'dm', member_ids: [blocker.user.id] }));
    });

    it('blocks made at once by many users, while messages and their pushes are written, all succeed (none answers 503)', async () => {
      const users = await Promise.all(Array.from({ length: 12 }, (_, i) => registerUser(server.url, `many${i}`)));
      const target = await registerUser(server.url, 'target');
      const chat = await createConversation(users[0]!, users.slice(1));
      for (const u of users) {
        const keys = { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') };
        expect((await u.api.post('/push/subscriptions', { endpoint: `http://127.0.0.1:9/push/${randomUUID()}`, keys })).status).toBe(201);
      }
      const answers = await Promise.all([
        ...users.map((u) => u.api.put(`/users/me/blocks/${target.user.id}`)),
        ...users.map((u) => u.api.put(`/users/me/blocks/${users[(users.indexOf(u) + 1) % users.length]!.user.id}`)),
        ...Array.from({ length: 12 }, (_, i) => users[i]!.api.post(`/conversations/${chat.id}/messages`, { message_id: randomUUID(), content: 'meanwhile' })),
      ]);
      expect(answers.map((a) => a.status)).toEqual([...Array(24).fill(204), ...Array(12).fill(201)]);
      for (const u of users) expect((await u.api.get('/users/me/blocks')).body.blocks).toHaveLength(2);
    });

    it('refuses yourself (400), an unknown user (404), a malformed id (400) and no token (401)', async () => {
      const { blocker } = await pair();
      expectProblem(await blocker.api.put(`/users/me/blocks/${blocker.user.id}`), 400, 'invalid_request');
      expectProblem(await blocker.api.put(`/users/me/blocks/${randomUUID()}`), 404, 'user_not_found');
      expectProblem(await blocker.api.put('/users/me/blocks/nobody'), 400, 'invalid_request');
      expectProblem(await blocker.api.delete('/users/me/blocks/nobody'), 400, 'invalid_request');
      expectProblem(await new Api(server.url).get('/users/me/blocks'), 401, 'unauthorized');
      expectProblem(await new Api(server.url).put(`/users/me/blocks/${blocker.user.id}`), 401, 'unauthorized');
    });
  });
}

function expectOk(response: { status: number }): void {
  expect(response.status).toBe(201);
}
