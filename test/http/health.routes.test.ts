import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`operations endpoints [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect });
    });
    afterAll(() => server.close());

    it('GET /healthz answers 200 while the process is up', async () => {
      const response = await fetch(`${server.url}/healthz`);
      expect(response.status).toBe(200);
    });

    it('GET /readyz answers 200 when the database answers', async () => {
      const response = await fetch(`${server.url}/readyz`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ database: 'up', bus: 'up' });
    });

    it('GET /metrics serves Prometheus text with the server metrics', async () => {
      const response = await fetch(`${server.url}/metrics`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      for (const name of ['pneumatic_ws_connections', 'pneumatic_messages_stored_total', 'pneumatic_http_request_duration_seconds', 'pneumatic_send_duration_seconds']) {
        expect(text).toContain(name);
      }
    });

    it('GET /openapi.json documents every route of the contract', async () => {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { openapi: string; paths: Record<string, unknown> };
      expect(doc.openapi).toMatch(/^3\./);
      for (const path of ['/users', '/sessions', '/sessions/current', '/users/me', '/users/{id}', '/conversations', '/conversations/{id}', '/conversations/{id}/members', '/conversations/{id}/members/{user_id}', '/conversations/{id}/messages', '/messages', '/messages/{message_id}', '/conversations/{id}/read', '/healthz', '/readyz', '/metrics', '/messages/{message_id}/reactions', '/messages/{message_id}/reactions/{emoji}', '/conversations/{id}/pins', '/conversations/{id}/pins/{message_id}', '/messages/{message_id}/thread', '/messages/{message_id}/thread/read', '/messages/{message_id}/thread/follow', '/threads']) {
        expect(Object.keys(doc.paths)).toContain(path);
      }
    });

    it('GET /openapi.json documents the change feed: PATCH /conversations/{id}, GET …/events, POST /sync with their schemas', async () => {
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> };
      expect(Object.keys(doc.paths['/conversations/{id}'] ?? {})).toContain('patch');
      const events = doc.paths['/conversations/{id}/events']?.get;
      expect(events?.parameters?.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'after', 'limit']));
      expect(JSON.stringify(events?.responses?.['200'])).toContain('last_event_seq');
      expect(Object.keys(events?.responses ?? {})).toEqual(expect.arrayContaining(['200', '4XX', '5XX']));
      const sync = doc.paths['/sync']?.post;
      expect(JSON.stringify(sync?.requestBody)).toContain('conversations');
      expect(JSON.stringify(sync?.responses?.['200'])).toContain('user_seq');
    });

    it('GET /docs serves the OpenAPI UI', async () => {
      const response = await fetch(`${server.url}/docs`, { redirect: 'follow' });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('swagger');
    });

    it('GET / serves a page that links the docs', async () => {
      const response = await fetch(`${server.url}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('/docs');
    });
  });
}
