/**
 * API tokens (docs/API.md, "API tokens and scopes"): the secret is shown once and stored only as
 * a hash, the list never shows it, a token works until it expires or is revoked (then 401, and its
 * sockets close with 4401), it holds only its scopes (403 insufficient_scope on HTTP and on socket
 * frames), hands on only scopes it holds, and every bad input is a 4xx with its code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const MAX = 4;
const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

for (const dialect of enabledDialects()) {
  describe(`API tokens [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', API_TOKENS_MAX_PER_USER: String(MAX) } });
      [alice, bob, carol, dave] = await registerUsers(server.url, 'alice', 'bob', 'carol', 'dave');
    });
    afterAll(() => server.close());

    const create = (user: TestUser, body: Record<string, unknown>) => user.api.post('/tokens', body);

    it('creates a token whose secret is shown once: it authenticates, the list shows the token without it, and the database holds only its hash', async () => {
      const expiresAt = inAnHour();
      const created = await create(alice, { name: 'CI notifier', scopes: ['messages:read', 'messages:write'], expires_at: expiresAt });
      expect(created.status).toBe(201);
      const { token, secret } = created.body;
      expect(secret).toMatch(/^pnt_[A-Za-z0-9_-]{43}$/);
      expect(token).toEqual({ id: expect.any(String), name: 'CI notifier', scopes: ['messages:read', 'messages:write'], created_at: expect.any(String), expires_at: expiresAt });

      const me = await alice.api.as(secret).get('/users/me');
      expect(me.status).toBe(200);
      expect(me.body.id).toBe(alice.user.id);

      const listed = await alice.api.get('/tokens');
      expect(listed.status).toBe(200);
      expect(listed.body.tokens).toContainEqual(token);
      expect(JSON.stringify(listed.body)).not.toContain(secret.slice(4));

      if (server.database.path) {
        const files = [server.database.path, `${server.database.path}-wal`].filter((f) => existsSync(f));
        for (const file of files) expect(readFileSync(file).includes(Buffer.from(secret.slice(4)))).toBe(false);
      }
    });

    it('lists newest first, shows null for a token that never expires, and only the caller’s tokens', async () => {
      const first = (await create(bob, { name: 'first', scopes: ['messages:read'] })).body.token;
      const second = (await create(bob, { name: 'second', scopes: ['messages:read'], expires_at: null })).body.token;
      expect(first.expires_at).toBeNull();
      const listed = (await bob.api.get('/tokens')).body.tokens;
      expect(listed.map((t: { id: string }) => t.id)).toEqual([second.id, first.id]);
      expect((await carol.api.get('/tokens')).body.tokens).toEqual([]);
    });

    it('revoking answers 204, the token then gets 401, its socket closes with 4401, and a revoked or foreign id is 404', async () => {
      const { token, secret } = (await create(alice, { name: 'to revoke', scopes: ['messages:read'] })).body;
      const socket = await TestSocket.open(server.wsUrl, { token: secret });
      try {
        expectProblem(await bob.api.delete(`/tokens/${token.id}`), 404, 'not_found');
        expect((await alice.api.delete(`/tokens/${token.id}`)).status).toBe(204);
        expect((await socket.waitForClose()).code).toBe(4401);
        expectProblem(await alice.api.as(secret).get('/users/me'), 401, 'unauthorized');
        expectProblem(await alice.api.delete(`/tokens/${token.id}`), 404, 'not_found');
        expect((await alice.api.get('/tokens')).body.tokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
      } finally {
        socket.close();
      }
    });

    it('a token that has expired gets 401 and is no longer listed', async () => {
      const expiresAt = new Date(Date.now() + 1500).toISOString();
      const { token, secret } = (await create(carol, { name: 'short', scopes: ['messages:read'], expires_at: expiresAt })).body;
      expect((await carol.api.as(secret).get('/users/me')).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 100));
      expectProblem(await carol.api.as(secret).get('/users/me'), 401, 'unauthorized');
      expect((await carol.api.get('/tokens')).body.tokens.map((t: { id: string }) => t.id)).not.toContain(token.id);
    });

    it('holds a token to its scopes on HTTP: a read-only token reads but may not send (403 insufficient_scope)', async () => {
      const conversation = await createConversation(alice, [bob]);
      await sendMessage(bob, conversation.id, 'hi');
      const reader = new Api(server.url, (await create(alice, { name: 'reader', scopes: ['messages:read'] })).body.secret);
      expect((await reader.get(`/conversations/${conversation.id}/messages?after=0`)).status).toBe(200);
      expectProblem(await reader.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: 'no' }), 403, 'insufficient_scope');
      expectProblem(await reader.post('/conversations', { title: 'no', member_ids: [] }), 403, 'insufficient_scope');
      expectProblem(await reader.get('/tokens'), 403, 'insufficient_scope');
      // Scope comes before the body: an invalid body is still refused for the scope.
      expectProblem(await reader.post('/messages', { nonsense: true }), 403, 'insufficient_scope');
    });

    it('holds a token to its scopes on the socket: a read-only token receives events but its message and typing frames are refused', async () => {
      const conversation = await createConversation(alice, [bob]);
      const secret = (await create(alice, { name: 'socket reader', scopes: ['messages:read'] })).body.secret;
      const socket = await TestSocket.open(server.wsUrl, { token: secret });
      try {
        const sent = await sendMessage(bob, conversation.id, 'to the reader');
        await socket.waitFor((f) => f.type === 'message' && f.message.message_id === sent.message_id);
        const messageId = randomUUID();
        const refused = await socket.request({ type: 'message', message_id: messageId, conversation_id: conversation.id, content: 'no' }, (f) => f.type === 'error' && f.ref === messageId);
        expect(refused.code).toBe('insufficient_scope');
        socket.send({ type: 'typing', conversation_id: conversation.id });
        await socket.waitFor((f) => f.type === 'error' && f.code === 'insufficient_scope' && f.ref === null);
        expect((await alice.api.get(`/conversations/${conversation.id}/messages?after=0`)).body.messages.map((m: { message_id: string }) => m.message_id)).not.toContain(messageId);
      } finally {
        socket.close();
      }
    });

    it('a token without messages:read cannot open a socket (403 at the upgrade)', async () => {
      const secret = (await create(alice, { name: 'writer only', scopes: ['messages:write'] })).body.secret;
      await expect(TestSocket.open(server.wsUrl, { token: secret })).rejects.toMatchObject({ status: 403 });
    });

    it('hands on only scopes the caller holds: a token with account:manage creates narrower tokens, never wider ones', async () => {
      const manager = new Api(server.url, (await create(dave, { name: 'manager', scopes: ['account:manage', 'messages:read'] })).body.secret);
      expect((await manager.post('/tokens', { name: 'narrower', scopes: ['messages:read'] })).status).toBe(201);
      expectProblem(await manager.post('/tokens', { name: 'wider', scopes: ['messages:write'] }), 403, 'insufficient_scope');
    });

    it('logging out with a token revokes that token only; logging out everywhere needs account:manage and keeps API tokens', async () => {
      const [erin] = await registerUsers(server.url, 'erin');
      const keep = (await create(erin!, { name: 'keep', scopes: ['messages:read'] })).body.secret;
      const selfRevoking = (await create(erin!, { name: 'self', scopes: ['messages:read'] })).body.secret;
      expect((await erin!.api.as(selfRevoking).delete('/sessions/current')).status).toBe(204);
      expectProblem(await erin!.api.as(selfRevoking).get('/users/me'), 401, 'unauthorized');
      expectProblem(await erin!.api.as(keep).delete('/sessions?all=true'), 403, 'insufficient_scope');
      expect((await erin!.api.delete('/sessions?all=true')).status).toBe(204);
      expectProblem(await erin!.api.get('/users/me'), 401, 'unauthorized');
      expect((await erin!.api.as(keep).get('/users/me')).status).toBe(200);
    });

    it('refuses bad input with a 4xx and its code', async () => {
      const cases: [Record<string, unknown>, number, string][] = [
        [{ name: '', scopes: ['messages:read'] }, 400, 'invalid_request'],
        [{ name: 'x'.repeat(101), scopes: ['messages:read'] }, 400, 'invalid_request'],
        [{ name: 'no scopes', scopes: [] }, 400, 'invalid_request'],
        [{ name: 'unknown scope', scopes: ['superuser'] }, 400, 'invalid_request'],
        [{ name: 'repeated', scopes: ['messages:read', 'messages:read'] }, 400, 'invalid_request'],
        [{ name: 'bad date', scopes: ['messages:read'], expires_at: 'tomorrow' }, 400, 'invalid_request'],
        [{ name: 'extra', scopes: ['messages:read'], admin: true }, 400, 'invalid_request'],
        [{ name: 'past', scopes: ['messages:read'], expires_at: new Date(Date.now() - 1000).toISOString() }, 400, 'invalid_expiry'],
      ];
      for (const [body, status, code] of cases) expectProblem(await create(carol, body), status, code);
      expectProblem(await carol.api.delete('/tokens/not-a-uuid'), 400, 'invalid_request');
      expectProblem(await new Api(server.url).get('/tokens'), 401, 'unauthorized');
    });

    it(`answers 409 too_many_api_tokens past API_TOKENS_MAX_PER_USER (${MAX}), and creates again once one is revoked`, async () => {
      const [frank] = await registerUsers(server.url, 'frank');
      const ids: string[] = [];
      for (let i = 0; i < MAX; i++) ids.push((await create(frank!, { name: `t${i}`, scopes: ['messages:read'] })).body.token.id);
      expectProblem(await create(frank!, { name: 'one more', scopes: ['messages:read'] }), 409, 'too_many_api_tokens');
      expect((await frank!.api.delete(`/tokens/${ids[0]}`)).status).toBe(204);
      expect((await create(frank!, { name: 'one more', scopes: ['messages:read'] })).status).toBe(201);
    });
  });
}
