/**
 * Webhook URLs never reach the server's own network (docs/API.md, "Outgoing webhooks";
 * docs/architecture.md, "Outgoing requests"). Without EGRESS_ALLOW_PRIVATE_ADDRESSES: a URL on
 * a loopback, private, link-local (metadata), IPv6 loopback or IPv4-mapped address is refused
 * when subscribed (400 invalid_webhook_url); a host name resolving to one is accepted but every
 * delivery to it is refused at connect time (logged `refused_address`), and the receiver
 * listening there never sees a connection; a redirect is never followed. Only https:// unless
 * WEBHOOK_ALLOW_HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { startReceiver, type Receiver } from '../helpers/http-receiver.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { sendMany } from '../helpers/webhook-world.js';

const LITERALS = [
  'http://127.0.0.1:{port}/hook',
  'http://127.1.2.3/hook',
  'http://2130706433/hook',
  'http://0x7f.1/hook',
  'http://10.0.0.1/hook',
  'http://172.16.5.4/hook',
  'http://192.168.1.1/hook',
  'http://100.64.0.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://0.0.0.0:{port}/hook',
  'http://[::1]:{port}/hook',
  'http://[::]:{port}/hook',
  'http://[::ffff:127.0.0.1]:{port}/hook',
  'http://[::ffff:a9fe:a9fe]/hook',
  'http://[64:ff9b::7f00:1]/hook',
  'http://[fd00::1]/hook',
  'http://[fe80::1]/hook',
];

const NAMES: Record<string, string[]> = {
  'loopback.test': ['127.0.0.1'],
  'v6-loopback.test': ['::1'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'metadata.test': ['169.254.169.254'],
  'intranet.test': ['10.0.0.1'],
  // One public answer beside a private one: refused, since the connection may go to either.
  'split.test': ['93.184.215.14', '127.0.0.1'],
  // Allowed by EGRESS_ALLOWED_HOSTS: the receiver that redirects.
  'redirector.test': ['127.0.0.1'],
};

describe('webhook SSRF table [sqlite]', () => {
  let server: TestServer;
  let strict: TestServer;
  let alice: TestUser;
  let bob: TestUser;
  let receiver: Receiver;
  let target: Receiver;
  beforeAll(async () => {
    // The receiver every refused URL points at: nothing may ever connect to it.
    receiver = await startReceiver((_request, response) => response.writeHead(204).end());
    // Where the redirect leads: nothing may connect to it either.
    target = await startReceiver((_request, response) => response.writeHead(204).end());
    server = await startServer({
      env: { RATE_LIMITS: 'off', WEBHOOK_ALLOW_HTTP: 'on', EGRESS_ALLOWED_HOSTS: 'redirector.test', WEBHOOK_POLL_MS: '100', WEBHOOK_RETRY_BASE_MS: '100', WEBHOOK_RETRY_MAX_MS: '500' },
      webhookHosts: NAMES,
    });
    strict = await startServer({ env: { RATE_LIMITS: 'off' } });
    [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
  });
  afterAll(async () => {
    await server.close();
    await strict.close();
    await receiver.close();
    await target.close();
  });

  it('refuses a URL on a private, loopback, link-local or mapped address when it is subscribed', async () => {
    const conversation = await createConversation(alice, [bob]);
    for (const literal of LITERALS) {
      const url = literal.replace('{port}', String(receiver.port));
      const response = await alice.api.post('/webhooks', { url, event_types: ['message.created'], conversation_id: conversation.id });
      expect({ url, status: response.status, code: response.body.code }).toEqual({ url, status: 400, code: 'invalid_webhook_url' });
    }
  });

  it('refuses every delivery to a host name that resolves to one, at connect time', async () => {
    const conversation = await createConversation(alice, [bob]);
    const hooks: Record<string, string> = {};
    for (const name of Object.keys(NAMES).filter((n) => n !== 'redirector.test')) {
      const created = await alice.api.post('/webhooks', { url: `http://${name}:${receiver.port}/hook`, event_types: ['message.created'], conversation_id: conversation.id });
      expect(created.status).toBe(201);
      hooks[name] = created.body.webhook.id as string;
    }
    await sendMany(bob, [conversation.id], 1, 1);
    for (const [name, id] of Object.entries(hooks)) {
      let delivery: { status: string; error: string; attempts: number } | undefined;
      for (let i = 0; i < 100 && delivery === undefined; i++) {
        delivery = (await alice.api.get(`/webhooks/${id}/deliveries`)).body.deliveries[0];
        if (delivery === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect({ name, status: delivery?.status, error: delivery?.error }).toEqual({ name, status: 'retrying', error: 'refused_address' });
    }
    // Retried meanwhile, and refused every time.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(receiver.connections).toBe(0);
  });

  it('does not follow a redirect to a private address', async () => {
    const redirector = await startReceiver((_request, response) => response.writeHead(307, { location: `http://127.0.0.1:${target.port}/hook` }).end());
    try {
      const conversation = await createConversation(alice, [bob]);
      const created = await alice.api.post('/webhooks', { url: `http://redirector.test:${redirector.port}/hook`, event_types: ['message.created'], conversation_id: conversation.id });
      expect(created.status).toBe(201);
      await sendMany(bob, [conversation.id], 1, 1);
      let delivery: { status: string; error: string; response_status: number } | undefined;
      for (let i = 0; i < 100 && delivery === undefined; i++) {
        delivery = (await alice.api.get(`/webhooks/${created.body.webhook.id}/deliveries`)).body.deliveries[0];
        if (delivery === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(delivery).toMatchObject({ status: 'retrying', error: 'redirect', response_status: 307 });
      expect(redirector.requests).toBeGreaterThan(0);
      expect(target.connections).toBe(0);
    } finally {
      await redirector.close();
    }
  });

  it('accepts only https:// without WEBHOOK_ALLOW_HTTP, and no private address without the egress settings', async () => {
    const [carol] = await registerUsers(strict.url, 'carol');
    const conversation = await createConversation(carol!, []);
    const hook = (url: string) => carol!.api.post('/webhooks', { url, event_types: ['message.created'], conversation_id: conversation.id });
    expectProblem(await hook('http://hooks.example.com/x'), 400, 'invalid_webhook_url');
    expectProblem(await hook('https://127.0.0.1/x'), 400, 'invalid_webhook_url');
    expectProblem(await hook('https://[::1]/x'), 400, 'invalid_webhook_url');
    expect((await hook('https://hooks.example.com/x')).status).toBe(201);
  });
});
