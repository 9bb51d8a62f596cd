/**
 * Issue 13, defect 7 ("the server's own origin comes from the request's Host header"): the
 * server answers only to host names it knows (IP addresses, localhost, PUBLIC_URL's name,
 * ALLOWED_HOSTS), refusing others with 421 `host_not_allowed`, HTTP and socket upgrades alike;
 * its own origin is PUBLIC_URL or the request's scheme with an allowed Host, never an https
 * origin for an http server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerUser, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { rawRequest, type RawResponse } from '../helpers/raw-http.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

/** 101 when the upgrade is accepted, else the HTTP status it was refused with. */
async function upgrade(server: TestServer, user: TestUser, headers: Record<string, string>): Promise<number> {
  try {
    const socket = await TestSocket.open(server.wsUrl, { token: user.token, headers });
    socket.close();
    return 101;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === undefined) throw error;
    return status;
  }
}

/** Opens a socket with Host `host` from each Origin and expects each its status. */
async function expectUpgrades(server: TestServer, user: TestUser, host: string, expected: Record<string, number>): Promise<void> {
  const actual: Record<string, number> = {};
  for (const origin of Object.keys(expected)) actual[origin] = await upgrade(server, user, { origin, host });
  expect(actual).toEqual(expected);
}

function expectHostRefused(response: RawResponse): void {
  expect(response.status).toBe(421);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ status: 421, code: 'host_not_allowed', title: 'Host not allowed' });
}

const REBINDING_HOSTS = ['evil.com', 'evil.com:80', '127.0.0.1.evil.com', 'localhost.evil.com', 'xn--e1afmkfd.com', 'EVIL.COM', 'evil.com.', '127.0.0.1:1@evil.com', 'evil.com/x', '', ' ', '[::1', 'localhost:abc'];

for (const dialect of enabledDialects()) {
  describe(`allowed hosts and the server's own origin [${dialect}]`, () => {
    const servers: TestServer[] = [];
    const serve = async (env: Record<string, string> = {}) => {
      const server = await startServer({ dialect, env });
      servers.push(server);
      return { server, user: await registerUser(server.url, 'host') };
    };
    let server: TestServer;
    let alice: TestUser;
    let port: string;
    beforeAll(async () => {
      ({ server, user: alice } = await serve());
      port = new URL(server.url).port;
    });
    // Also proves refused upgrades leave no socket behind: close would wait for it.
    afterAll(async () => {
      for (const s of servers) await s.close();
    }, 15_000);

    it('regression (issue 13, defect 7): an upgrade with Origin http://evil.com and Host evil.com is refused with 421, not taken as same-origin', async () => {
      expect(await upgrade(server, alice, { origin: 'http://evil.com', host: 'evil.com' })).toBe(421);
      expect(await upgrade(server, alice, { origin: `http://evil.com:${port}`, host: `evil.com:${port}` })).toBe(421);
      expectHostRefused(await rawRequest(server.url, '/users/me', { host: 'evil.com', authorization: `Bearer ${alice.token}` }));
    });

    it('regression (issue 13, defect 7): Origin https://… is not the own origin of an http-only server', async () => {
      expect(await upgrade(server, alice, { origin: `https://127.0.0.1:${port}`, host: `127.0.0.1:${port}` })).toBe(403);
      expect(await upgrade(server, alice, { origin: `https://localhost:${port}`, host: `localhost:${port}` })).toBe(403);
    });

    it('refuses every name that is not loopback or an IP address with 421 problem+json, on every route', async () => {
      for (const host of REBINDING_HOSTS) {
        for (const path of ['/healthz', '/users/me', '/ws', '/nope']) {
          const response = await rawRequest(server.url, path, { host });
          expect({ host, path, status: response.status, code: response.body.code }).toEqual({ host, path, status: 421, code: 'host_not_allowed' });
        }
      }
    });

    it('answers loopback names and IP addresses with no configuration, and takes their http origin as its own', async () => {
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LocalHost:${port}`, `app.localhost:${port}`, `[::1]:${port}`, `10.1.2.3:${port}`, '127.0.0.1']) {
        expect({ host, status: (await rawRequest(server.url, '/healthz', { host })).status }).toEqual({ host, status: 200 });
      }
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
        expect({ host, status: await upgrade(server, alice, { origin: `http://${host}`, host }) }).toEqual({ host, status: 101 });
      }
      // The Origin must name the same host as Host.
      expect(await upgrade(server, alice, { origin: `http://localhost:${port}`, host: `127.0.0.1:${port}` })).toBe(403);
    });

    it('with PUBLIC_URL: answers its host name, takes exactly its origin as its own, and refuses other names', async () => {
      const { server: pub, user } = await serve({ PUBLIC_URL: 'https://chat.example.com' });
      expect((await rawRequest(pub.url, '/healthz', { host: 'chat.example.com' })).status).toBe(200);
      // Behind a TLS proxy without TRUST_PROXY the server sees http, but PUBLIC_URL says https.
      await expectUpgrades(pub, user, 'chat.example.com', { 'https://chat.example.com': 101, 'http://chat.example.com': 403, 'https://evil.com': 403 });
      expectHostRefused(await rawRequest(pub.url, '/healthz', { host: 'other.example.com' }));
      expect(await upgrade(pub, user, { origin: 'https://other.example.com', host: 'other.example.com' })).toBe(421);
    });

    it('with ALLOWED_HOSTS: answers listed names and subdomains of a ".name" entry, and nothing else', async () => {
      const { server: listed } = await serve({ ALLOWED_HOSTS: 'chat.internal, .example.org' });
      for (const host of ['chat.internal', 'example.org', 'a.example.org', 'a.b.example.org:8000']) {
        expect({ host, status: (await rawRequest(listed.url, '/healthz', { host })).status }).toEqual({ host, status: 200 });
      }
      for (const host of ['badexample.org', 'chat.internal.evil.com', 'internal', 'example.org.evil.com']) expectHostRefused(await rawRequest(listed.url, '/healthz', { host }));
    });

    it('listening on every interface with no PUBLIC_URL: answers any name, but its own origin is only http:// plus that Host', async () => {
      const { server: open, user } = await serve({ HOST: '0.0.0.0' });
      expect((await rawRequest(open.url, '/healthz', { host: 'chat.lan:8000' })).status).toBe(200);
      await expectUpgrades(open, user, 'chat.lan:8000', { 'http://chat.lan:8000': 101, 'https://chat.lan:8000': 403, 'http://evil.com': 403 });
    });

    it('behind a proxy (TRUST_PROXY=on, X-Forwarded-Proto: https): the https origin of the Host is its own', async () => {
      const { server: proxied, user } = await serve({ HOST: '0.0.0.0', TRUST_PROXY: 'on', ALLOWED_HOSTS: 'chat.example.com' });
      expect(await upgrade(proxied, user, { origin: 'https://chat.example.com', host: 'chat.example.com', 'x-forwarded-proto': 'https' })).toBe(101);
      expect(await upgrade(proxied, user, { origin: 'https://chat.example.com', host: 'chat.example.com' })).toBe(403);
      expectHostRefused(await rawRequest(proxied.url, '/healthz', { host: 'evil.com', 'x-forwarded-proto': 'https' }));
    });
  });
}
