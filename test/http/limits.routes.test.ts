/**
 * GET /limits publishes the limits the server enforces: public, the configured values (not the
 * defaults), in the OpenAPI document, and the same limits validation applies. Storage plays no
 * part, so this runs on SQLite only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USERNAME_PATTERN } from '@pneumatic/protocol';
import { createConversation, registerUsers, type TestUser } from '../helpers/api-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe('GET /limits', () => {
  let server: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { CONTENT_MAX_CHARS: '100', TITLE_MAX_CHARS: '20', MEMBERS_MAX: '5', BODY_MAX_BYTES: '32768', WS_MAX_FRAME_BYTES: '16384' } });
    [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
  });
  afterAll(() => server.close());

  it('answers 200 without a token, with the configured limits', async () => {
    const response = await fetch(`${server.url}/limits`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(await response.json()).toEqual({
      username_min_chars: 3,
      username_max_chars: 32,
      username_pattern: USERNAME_PATTERN,
      password_min_chars: 8,
      password_max_chars: 1024,
      title_max_chars: 20,
      content_max_chars: 100,
      members_max: 5,
      body_max_bytes: 32768,
      ws_max_frame_bytes: 16384,
      upload_max_bytes: 26214400,
      upload_quota_bytes: 1073741824,
      attachments_max: 10,
    });
  });

  it('publishes what validation enforces: content at the limit passes, one more is refused', async () => {
    const conversation = await createConversation(alice, [bob]);
    const send = (content: string) => alice.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content });
    expect((await send('x'.repeat(100))).status).toBe(201);
    const refused = await send('x'.repeat(101));
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ pointer: '/content', detail: expect.any(String) }]);
  });

  it('is in the OpenAPI document, public, with the ServerLimits schema', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    const operation = doc.paths['/limits'].get;
    expect(operation.security).toBeUndefined();
    const schema = operation.responses['200'].content['application/json'].schema;
    expect(Object.keys(schema.properties).sort()).toContain('content_max_chars');
    expect(schema.required).toContain('ws_max_frame_bytes');
  });

  it('marks every authenticated route, and only those, as needing a bearer token', async () => {
    const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as any;
    // An incoming webhook's post carries its secret in the URL instead of a token.
    const publicOps = ['GET /healthz', 'GET /readyz', 'GET /metrics', 'GET /limits', 'POST /users', 'POST /sessions', 'POST /hooks/{secret}', 'GET /login-options', 'GET /avatars/{file}', 'POST /auth/oidc/{provider}/authorize', 'GET /auth/oidc/{provider}/callback', 'POST /sessions/sso'];
    for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, { security?: unknown }>>)) {
      for (const [method, operation] of Object.entries(methods)) {
        const name = `${method.toUpperCase()} ${path}`;
        expect({ name, bearer: operation.security !== undefined }).toEqual({ name, bearer: !publicOps.includes(name) });
      }
    }
  });
});
