/**
 * Bots (docs/API.md, "Bots"): a bot is a user marked is_bot in every payload that describes a
 * user, owned by its creator, with no password; it signs in with API tokens its owner creates,
 * joins conversations like any member, and uses the WebSocket. Only its owner manages it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const MAX_BOTS = 10;
const BOT_SCOPES = ['messages:read', 'messages:write'];

for (const dialect of enabledDialects()) {
  describe(`bots [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', BOTS_MAX_PER_USER: String(MAX_BOTS) } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    const createBot = async (owner: TestUser, prefix = 'bot') => {
      const created = await owner.api.post('/bots', { username: `${prefix}${randomUUID().slice(0, 8)}` });
      expect(created.status).toBe(201);
      return created.body as { user: { id: string; username: string; is_bot: boolean; created_at: string }; owner_id: string };
    };
    const botApi = async (owner: TestUser, botId: string, scopes = BOT_SCOPES) => {
      const created = await owner.api.post(`/bots/${botId}/tokens`, { name: 'runtime', scopes });
      expect(created.status).toBe(201);
      return new Api(server.url, created.body.secret as string);
    };

    it('creates a bot marked is_bot and owned by its creator; people are is_bot false', async () => {
      const bot = await createBot(alice);
      expect(bot).toEqual({ user: { id: expect.any(String), username: expect.stringMatching(/^bot/), created_at: expect.any(String), is_bot: true, display_name: null, avatar_url: null, status_text: null, deactivated: false }, owner_id: alice.user.id });
      expect((await bob.api.get(`/users/${bot.user.id}`)).body).toEqual(bot.user);
      expect((await alice.api.get('/users/me')).body.is_bot).toBe(false);
      expect((await bob.api.get(`/users?username=${bot.user.username}`)).body.users).toEqual([bot.user]);
      const listed = (await alice.api.get('/bots')).body.bots as { user: { id: string } }[];
      expect(listed.map((b) => b.user.id)).toContain(bot.user.id);
      expect((await bob.api.get('/bots')).body.bots).toEqual([]);
    });

    it('a bot has no password: logging in as it is refused like an unknown user', async () => {
      const bot = await createBot(alice);
      for (const password of ['', '!bot: no password', 'long enough password']) {
        const response = await new Api(server.url).post('/sessions', { username: bot.user.username, password });
        expect([400, 401]).toContain(response.status);
        if (response.status === 401) expectProblem(response, 401, 'invalid_credentials');
      }
    });

    it('signs in with a token its owner created, joins a conversation like any member, shows is_bot to members, and sends', async () => {
      const bot = await createBot(alice);
      const api = await botApi(alice, bot.user.id);
      expect((await api.get('/users/me')).body).toEqual(bot.user);
      const conversation = await createConversation(alice, [bob]);
      expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: bot.user.id })).status).toBe(201);
      const members = (await bob.api.get(`/conversations/${conversation.id}`)).body.members as { user_id: string; is_bot: boolean }[];
      expect(members.find((m) => m.user_id === bot.user.id)?.is_bot).toBe(true);
      expect(members.find((m) => m.user_id === bob.user.id)?.is_bot).toBe(false);

      const socket = await TestSocket.open(server.wsUrl, { token: (api as unknown as { token: string }).token });
      try {
        const sent = await sendMessage(bob, conversation.id, 'hello bot');
        await socket.waitFor((f) => f.type === 'message' && f.message.message_id === sent.message_id);
        const messageId = randomUUID();
        const ack = await socket.request({ type: 'message', message_id: messageId, conversation_id: conversation.id, content: 'hello bob' }, (f) => (f.type === 'ack' || f.type === 'error') && (f.message_id === messageId || f.ref === messageId));
        expect(ack.type).toBe('ack');
      } finally {
        socket.close();
      }
      const history = (await bob.api.get(`/conversations/${conversation.id}/messages?after=0`)).body.messages as { sender_id: string; content: string }[];
      expect(history.find((m) => m.content === 'hello bob')?.sender_id).toBe(bot.user.id);
    });

    it("only the owner manages a bot's tokens (404 for anyone else); revoking one closes the bot's sockets", async () => {
      const bot = await createBot(alice);
      expectProblem(await bob.api.post(`/bots/${bot.user.id}/tokens`, { name: 'theft', scopes: ['messages:read'] }), 404, 'not_found');
      expectProblem(await bob.api.get(`/bots/${bot.user.id}/tokens`), 404, 'not_found');
      expectProblem(await alice.api.post(`/bots/${bob.user.id}/tokens`, { name: 'a person', scopes: ['messages:read'] }), 404, 'not_found');
      const created = (await alice.api.post(`/bots/${bot.user.id}/tokens`, { name: 'runtime', scopes: ['messages:read'] })).body;
      expect((await alice.api.get(`/bots/${bot.user.id}/tokens`)).body.tokens).toEqual([created.token]);
      // A bot's tokens are not its owner's.
      expect((await alice.api.get('/tokens')).body.tokens.map((t: { id: string }) => t.id)).not.toContain(created.token.id);
      expectProblem(await bob.api.delete(`/bots/${bot.user.id}/tokens/${created.token.id}`), 404, 'not_found');
      const socket = await TestSocket.open(server.wsUrl, { token: created.secret });
      try {
        expect((await alice.api.delete(`/bots/${bot.user.id}/tokens/${created.token.id}`)).status).toBe(204);
        expect((await socket.waitForClose()).code).toBe(4401);
        expectProblem(await new Api(server.url, created.secret).get('/users/me'), 401, 'unauthorized');
      } finally {
        socket.close();
      }
    });

    it('hands a bot only scopes its owner holds, and a bot cannot own bots', async () => {
      const bot = await createBot(alice);
      const narrowOwner = new Api(server.url, (await alice.api.post('/tokens', { name: 'narrow', scopes: ['account:manage', 'messages:read'] })).body.secret);
      expectProblem(await narrowOwner.post(`/bots/${bot.user.id}/tokens`, { name: 'wide', scopes: ['messages:write'] }), 403, 'insufficient_scope');
      expect((await narrowOwner.post(`/bots/${bot.user.id}/tokens`, { name: 'narrow', scopes: ['messages:read'] })).status).toBe(201);
      const botManager = await botApi(alice, bot.user.id, ['account:manage']);
      expectProblem(await botManager.post('/bots', { username: `sub${randomUUID().slice(0, 8)}` }), 403, 'forbidden');
    });

    it('refuses bad input with a 4xx and its code', async () => {
      const bot = await createBot(bob, 'taken');
      expectProblem(await alice.api.post('/bots', { username: bot.user.username.toUpperCase() }), 409, 'username_taken');
      expectProblem(await alice.api.post('/bots', { username: alice.user.username }), 409, 'username_taken');
      for (const body of [{}, { username: '' }, { username: 'has space' }, { username: 'x'.repeat(200) }, { username: 'okname', password: 'no' }]) {
        expectProblem(await alice.api.post('/bots', body), 400, 'invalid_request');
      }
      expectProblem(await alice.api.post(`/bots/${randomUUID()}/tokens`, { name: 'x', scopes: ['messages:read'] }), 404, 'not_found');
      expectProblem(await alice.api.get('/bots/not-a-uuid/tokens'), 400, 'invalid_request');
      expectProblem(await new Api(server.url).get('/bots'), 401, 'unauthorized');
    });

    it(`answers 409 too_many_bots past BOTS_MAX_PER_USER (${MAX_BOTS})`, async () => {
      const [carol] = await registerUsers(server.url, 'carol');
      for (let i = 0; i < MAX_BOTS; i++) await createBot(carol!);
      expectProblem(await carol!.api.post('/bots', { username: `over${randomUUID().slice(0, 8)}` }), 409, 'too_many_bots');
    });
  });
}
