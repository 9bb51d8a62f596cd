/**
 * GET /push/vapid-public-key and /push/subscriptions (docs/API.md, "Web Push"): the key is
 * generated once and kept, or taken from the settings; subscriptions are idempotent per
 * endpoint, move to the last user who posts them, are limited per user, and every bad input of
 * the issue is a 4xx with its code and field, never a 500.
 */
import { createECDH, randomBytes, randomUUID } from 'node:crypto';
import webpush from 'web-push';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MAX = 3;

/** A subscription as a browser's toJSON() writes it, on an https endpoint nothing is ever sent to here. */
function browserSubscription(endpoint = `https://push.example.test/send/${randomUUID()}`) {
  const ecdh = createECDH('prime256v1');
  return { endpoint, expirationTime: null, keys: { p256dh: ecdh.generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') } };
}

for (const dialect of enabledDialects()) {
  describe(`push subscriptions [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', PUSH_MAX_SUBSCRIPTIONS_PER_USER: String(MAX) } });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
    });
    afterAll(() => server.close());

    describe('GET /push/vapid-public-key', () => {
      it('answers an uncompressed P-256 key, generated at first start and the same after a restart on the same database', async () => {
        const first = await alice.api.get('/push/vapid-public-key');
        expect(first.status).toBe(200);
        expect(first.body.public_key).toMatch(/^B[A-Za-z0-9_-]{86}$/);
        expect(Buffer.from(first.body.public_key, 'base64url')).toHaveLength(65);
        const again = await startServer({ dialect, database: server.database, env: { LOG_LEVEL: 'silent' } });
        try {
          const [other] = await registerUsers(again.url, 'other');
          expect((await other!.api.get('/push/vapid-public-key')).body.public_key).toBe(first.body.public_key);
        } finally {
          await again.close();
        }
      });

      it('answers the configured key when VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are set', async () => {
        const keys = webpush.generateVAPIDKeys();
        const configured = await startServer({ dialect, env: { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:ops@example.com' } });
        try {
          const [user] = await registerUsers(configured.url, 'keyed');
          expect((await user!.api.get('/push/vapid-public-key')).body).toEqual({ public_key: keys.publicKey });
        } finally {
          await configured.close();
        }
      });
    });

    describe('POST /push/subscriptions', () => {
      it('answers 201 with the stored subscription, 200 with the same id when posted again, and lists it without its keys', async () => {
        const subscription = browserSubscription();
        const created = await alice.api.post('/push/subscriptions', subscription);
        expect(created.status).toBe(201);
        expect(created.body).toEqual({ id: expect.any(String), endpoint: subscription.endpoint, created_at: expect.any(String), expires_at: null });
        const again = await alice.api.post('/push/subscriptions', { ...subscription, expirationTime: Date.now() + 3_600_000 });
        expect(again.status).toBe(200);
        expect(again.body.id).toBe(created.body.id);
        expect(Date.parse(again.body.expires_at)).toBeGreaterThan(Date.now());
        const listed = await alice.api.get('/push/subscriptions');
        expect(listed.status).toBe(200);
        expect(listed.body.subscriptions).toEqual([again.body]);
      });

      it('moves an endpoint another user had to the caller, as a new subscription', async () => {
        const subscription = browserSubscription();
        const bobs = await bob.api.post('/push/subscriptions', subscription);
        const carols = await carol.api.post('/push/subscriptions', subscription);
        expect(carols.status).toBe(201);
        expect(carols.body.id).not.toBe(bobs.body.id);
        expect((await bob.api.get('/push/subscriptions')).body.subscriptions).toEqual([]);
        expect((await carol.api.get('/push/subscriptions')).body.subscriptions.map((s: { id: string }) => s.id)).toEqual([carols.body.id]);
      });

      it(`answers 409 too_many_push_subscriptions past PUSH_MAX_SUBSCRIPTIONS_PER_USER (${MAX}), and still 200 for one the user has`, async () => {
        const [dave] = await registerUsers(server.url, 'dave');
        const mine = [];
        for (let i = 0; i < MAX; i++) mine.push(browserSubscription());
        for (const s of mine) expect((await dave!.api.post('/push/subscriptions', s)).status).toBe(201);
        expectProblem(await dave!.api.post('/push/subscriptions', browserSubscription()), 409, 'too_many_push_subscriptions');
        expect((await dave!.api.post('/push/subscriptions', mine[0])).status).toBe(200);
        // Nor may a full user take another user's endpoint: it stays theirs.
        const bobs = browserSubscription();
        await bob.api.post('/push/subscriptions', bobs);
        expectProblem(await dave!.api.post('/push/subscriptions', bobs), 409, 'too_many_push_subscriptions');
        expect((await bob.api.get('/push/subscriptions')).body.subscriptions.map((s: { endpoint: string }) => s.endpoint)).toContain(bobs.endpoint);
      });

      const bad: [string, (s: ReturnType<typeof browserSubscription>) => unknown, string][] = [
        ['an http:// endpoint', (s) => ({ ...s, endpoint: 'http://push.example.test/x' }), '/endpoint'],
        ['an http:// endpoint on loopback (without the test setting)', (s) => ({ ...s, endpoint: 'http://127.0.0.1:9/push/x' }), '/endpoint'],
        ['an https:// endpoint on a private address', (s) => ({ ...s, endpoint: 'https://10.1.2.3/push/x' }), '/endpoint'],
        ['an https:// endpoint on loopback', (s) => ({ ...s, endpoint: 'https://[::1]/push/x' }), '/endpoint'],
        ['an https:// endpoint on localhost', (s) => ({ ...s, endpoint: 'https://localhost/push/x' }), '/endpoint'],
        ['an endpoint with credentials', (s) => ({ ...s, endpoint: 'https://user:pw@push.example.test/x' }), '/endpoint'],
        ['an endpoint that is no URL', (s) => ({ ...s, endpoint: 'push.example.test/x' }), '/endpoint'],
        ['a p256dh that is not base64url', (s) => ({ ...s, keys: { ...s.keys, p256dh: `${s.keys.p256dh.slice(0, 80)}!!!` } }), '/keys/p256dh'],
        ['a p256dh of 64 bytes', (s) => ({ ...s, keys: { ...s.keys, p256dh: Buffer.from(s.keys.p256dh, 'base64url').subarray(1).toString('base64url') } }), '/keys/p256dh'],
        ['a p256dh off the curve', (s) => ({ ...s, keys: { ...s.keys, p256dh: Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url') } }), '/keys/p256dh'],
        ['an auth of 15 bytes', (s) => ({ ...s, keys: { ...s.keys, auth: randomBytes(15).toString('base64url') } }), '/keys/auth'],
        ['an expirationTime in the past', (s) => ({ ...s, expirationTime: Date.now() - 1000 }), '/expirationTime'],
      ];
      for (const [what, change, pointer] of bad) {
        it(`answers 400 invalid_push_subscription for ${what}, naming ${pointer}`, async () => {
          const response = await alice.api.post('/push/subscriptions', change(browserSubscription()));
          expectProblem(response, 400, 'invalid_push_subscription');
          expect(response.body.errors).toEqual([{ pointer, detail: expect.any(String) }]);
        });
      }

      it('answers 400 invalid_request for a body that is not a PushSubscription (keys missing, endpoint too long)', async () => {
        const s = browserSubscription();
        expectProblem(await alice.api.post('/push/subscriptions', { endpoint: s.endpoint }), 400, 'invalid_request');
        expectProblem(await alice.api.post('/push/subscriptions', { ...s, endpoint: `https://push.example.test/${'a'.repeat(3000)}` }), 400, 'invalid_request');
      });
    });

    describe('DELETE /push/subscriptions/{id}', () => {
      it("answers 204 for the caller's own, then 404; 404 for another user's, which stays", async () => {
        const alices = (await alice.api.post('/push/subscriptions', browserSubscription())).body.id as string;
        const bobs = (await bob.api.post('/push/subscriptions', browserSubscription())).body.id as string;
        expectProblem(await alice.api.delete(`/push/subscriptions/${bobs}`), 404, 'not_found');
        expectProblem(await alice.api.delete(`/push/subscriptions/${randomUUID()}`), 404, 'not_found');
        expect((await alice.api.delete(`/push/subscriptions/${alices}`)).status).toBe(204);
        expectProblem(await alice.api.delete(`/push/subscriptions/${alices}`), 404, 'not_found');
        expect((await bob.api.get('/push/subscriptions')).body.subscriptions.map((s: { id: string }) => s.id)).toContain(bobs);
      });
    });
  });
}

describe('PUSH_ALLOW_INSECURE_ENDPOINTS=on (the test setting)', () => {
  let server: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    server = await startServer({ env: { PUSH_ALLOW_INSECURE_ENDPOINTS: 'on' } });
    [user] = await registerUsers(server.url, 'tester');
  });
  afterAll(() => server.close());

  it('accepts http:// on loopback, and still refuses http:// elsewhere and private addresses', async () => {
    expect((await user.api.post('/push/subscriptions', browserSubscription('http://127.0.0.1:9/push/a'))).status).toBe(201);
    expect((await user.api.post('/push/subscriptions', browserSubscription('http://[::1]:9/push/b'))).status).toBe(201);
    expectProblem(await user.api.post('/push/subscriptions', browserSubscription('http://push.example.test/x')), 400, 'invalid_push_subscription');
    expectProblem(await user.api.post('/push/subscriptions', browserSubscription('https://192.168.1.1/x')), 400, 'invalid_push_subscription');
  });
});
