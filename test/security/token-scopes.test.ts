/**
 * Token scopes on every route and frame (docs/API.md, "API tokens and scopes"): for each route of
 * src/http/route-scopes.ts, a token holding every scope but the one the route needs is refused
 * with 403 insufficient_scope before anything else is looked at (the admin scope: 403 forbidden,
 * what a member gets there; the caller here is an admin), and a token holding only that
 * scope is not refused for its scope; the table names exactly the routes the OpenAPI document
 * lists behind a token; and every socket frame that needs a scope is refused without it.
 */
import { SCOPES, type Scope } from '@pneumatic/protocol';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FRAME_SCOPES } from '../../src/realtime/frame-scopes.js';
import { ROUTE_SCOPES } from '../../src/http/route-scopes.js';
import { Api, createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const PARAMS: Record<string, () => string> = {
  ':id': () => randomUUID(),
  ':message_id': () => randomUUID(),
  ':user_id': () => randomUUID(),
  ':token_id': () => randomUUID(),
  ':webhook_id': () => randomUUID(),
  ':delivery_id': () => randomUUID(),
  ':emoji': () => encodeURIComponent('👍'),
  ':provider': () => 'corp',
};

const routes = Object.entries(ROUTE_SCOPES).map(([key, scope]) => {
  const [method, url] = key.split(' ') as [string, string];
  return { key, method, url, scope };
});

function pathOf(url: string): string {
  return url.replace(/:[a-z_]+/g, (param) => PARAMS[param]!());
}

describe('token scopes on every route and frame', () => {
  let server: TestServer;
  let owner: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { RATE_LIMITS: 'off', API_TOKENS_MAX_PER_USER: '1000', ADMIN_USERNAMES: 'scoped_admin' } });
    // An admin, so that an admin route's refusal can only come from the token's scopes.
    const signedUp = await new Api(server.url).post('/users', { username: 'scoped_admin', password: 'long enough pw' });
    owner = { user: signedUp.body.user, token: signedUp.body.token, password: 'long enough pw', api: new Api(server.url, signedUp.body.token) };
  });
  afterAll(() => server.close());

  const tokenWith = async (scopes: readonly Scope[]): Promise<Api> => {
    const created = await owner.api.post('/tokens', { name: `holds ${scopes.join(' ')}`, scopes });
    expect(created.status).toBe(201);
    return new Api(server.url, created.body.secret);
  };
  const call = (api: Api, method: string, url: string) =>
    api.request(method, pathOf(url), method === 'GET' || method === 'DELETE' ? {} : { body: {} });

  it('names exactly the routes the OpenAPI document lists behind a token', async () => {
    const document = (await new Api(server.url).get('/openapi.json')).body as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const documented = new Set<string>();
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        // Public routes declare no security; an upload's bytes take a signed link or a token (its own check).
        if (!operation.security || operation.security.some((s) => Object.keys(s as object).length === 0)) continue;
        documented.add(`${method.toUpperCase()} ${path.replace(/\{([a-z_]+)\}/g, ':$1')}`);
      }
    }
    expect([...documented].sort()).toEqual(routes.map((r) => r.key).sort());
  });

  for (const route of routes.filter((r) => r.scope !== null)) {
    it(`${route.key} needs ${route.scope}`, async () => {
      const without = await tokenWith(SCOPES.filter((s) => s !== route.scope));
      const refused = await call(without, route.method, route.url);
      expectProblem(refused, 403, route.scope === 'admin' ? 'forbidden' : 'insufficient_scope');
      expect(refused.body.detail).toBe(`This token lacks the ${route.scope} scope.`);
      const only = await tokenWith([route.scope!]);
      const answer = await call(only, route.method, route.url);
      expect(answer.status, JSON.stringify(answer.body)).not.toBe(401);
      expect(answer.body?.code, JSON.stringify(answer.body)).not.toBe('insufficient_scope');
    });
  }

  it('routes that need no scope answer any live token', async () => {
    const narrow = await tokenWith(['messages:write']);
    expect((await narrow.get('/users/me')).status).toBe(200);
    expect((await narrow.get('/push/vapid-public-key')).status).toBe(200);
    expect((await narrow.delete('/sessions/current')).status).toBe(204);
  });

  it("an upload's bytes with a token need messages:read", async () => {
    const form = new FormData();
    form.append('file', new Blob(['notes']), 'n.txt');
    const upload = (await owner.api.post('/uploads', undefined, { form })).body.id as string;
    expectProblem(await (await tokenWith(['messages:write'])).get(`/uploads/${upload}/content`), 403, 'insufficient_scope');
    expect((await (await tokenWith(['messages:read'])).get(`/uploads/${upload}/content`)).status).toBe(200);
  });

  it('every frame that needs a scope is refused without it, and answered with it', async () => {
    const [other] = await registerUsers(server.url, 'other');
    const conversation = await createConversation(owner, [other!]);
    const first = await sendMessage(other!, conversation.id, 'first');
    const frames: Record<keyof typeof FRAME_SCOPES, () => Record<string, unknown>> = {
      message: () => ({ type: 'message', message_id: randomUUID(), conversation_id: conversation.id, content: 'hi' }),
      typing: () => ({ type: 'typing', conversation_id: conversation.id }),
      read: () => ({ type: 'read', conversation_id: conversation.id, seq: first.seq }),
      join: () => ({ type: 'join', conversation_id: conversation.id }),
      ping: () => ({ type: 'ping' }),
      activity: () => ({ type: 'activity', state: 'active' }),
    };
    const reader = (await owner.api.post('/tokens', { name: 'socket', scopes: ['messages:read'] })).body.secret as string;
    const socket = await TestSocket.open(server.wsUrl, { token: reader });
    try {
      for (const [type, scope] of Object.entries(FRAME_SCOPES)) {
        if (scope !== 'messages:write') continue;
        const frame = frames[type as keyof typeof FRAME_SCOPES]();
        const before = socket.frames.length;
        socket.send(frame);
        const refused = await socket.waitFor((f) => socket.frames.indexOf(f) >= before && f.type === 'error');
        expect(refused.code, type).toBe('insufficient_scope');
      }
      // join needs messages:read, which a socket always has: answered.
      socket.send(frames.join());
      await socket.waitFor((f) => f.type === 'joined' && f.conversation_id === conversation.id);
    } finally {
      socket.close();
    }
  });
});
