/**
 * What one outgoing request may cost: a deadline for the whole exchange, a cap on the response
 * body, a bounded number of connections per origin, and no redirects followed. Real receivers on
 * loopback (EGRESS_ALLOW_PRIVATE_ADDRESSES=on, as tests of outgoing requests run).
 */
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/config.js';
import {
  createEgressAgents,
  egressOptionsFrom,
  egressRequest,
  EgressError,
  EgressRefused,
  EgressTimeout,
  type EgressAgents,
} from '../../src/net/egress.js';
import { startReceiver, until, type Receiver } from '../helpers/http-receiver.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function agentsWith(env: Record<string, string> = {}): EgressAgents {
  const agents = createEgressAgents(egressOptionsFrom(loadConfig({ EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on', ...env })));
  cleanups.push(() => agents.destroy());
  return agents;
}

async function receiverOf(handler: Parameters<typeof startReceiver>[0]): Promise<Receiver> {
  const receiver = await startReceiver(handler);
  cleanups.push(() => receiver.close());
  return receiver;
}

/** Requests whose answer the test holds back, answered when it says so. */
function holdingHandler() {
  const held: ServerResponse[] = [];
  let holding = true;
  return {
    held,
    handler: (req: { url?: string }, res: ServerResponse) => {
      if (holding && req.url !== '/ok') held.push(res);
      else res.end('done');
    },
    release() {
      holding = false;
      for (const res of held.splice(0)) res.end('done');
    },
  };
}

/** A promise and whether it has settled yet, for asserting the order things finished in. */
function tracked<T>(promise: Promise<T>) {
  const state = { settled: false, promise };
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  );
  return state;
}

describe('egressRequest', () => {
  it('sends the method, headers and body, and returns status, headers and body', async () => {
    const receiver = await receiverOf((req, res) => {
      let text = '';
      req.on('data', (chunk) => (text += chunk));
      req.on('end', () => res.writeHead(201, { 'x-seen': `${req.method} ${req.headers['content-type']} ${req.headers['content-length']}` }).end(text.toUpperCase()));
    });
    const response = await egressRequest(`${receiver.origin}/hook`, {
      agents: agentsWith(),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"ok":true}',
    });
    expect(response.status).toBe(201);
    expect(response.headers['x-seen']).toBe('POST application/json 11');
    expect(response.body.toString()).toBe('{"OK":TRUE}');
    expect(response.truncated).toBe(false);
  });

  it('returns a redirect as it is and does not follow it, even to an allowed address', async () => {
    const target = await receiverOf((_req, res) => res.end('secret'));
    const redirector = await receiverOf((_req, res) => res.writeHead(302, { location: `${target.origin}/secret` }).end());
    const response = await egressRequest(`${redirector.origin}/hook`, { agents: agentsWith() });
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe(`${target.origin}/secret`);
    expect(target.connections).toBe(0);
  });

  it('gives up on a receiver that never answers at the deadline, closes the connection and frees the origin\'s slot', async () => {
    const hang = holdingHandler();
    const receiver = await receiverOf(hang.handler);
    cleanups.push(() => hang.release());
    const agents = agentsWith({ EGRESS_MAX_SOCKETS_PER_ORIGIN: '1', EGRESS_TIMEOUT_MS: '300' });

    const error = await egressRequest(`${receiver.origin}/hang`, { agents }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EgressTimeout);
    expect((error as EgressTimeout).timeoutMs).toBe(300);
    await until(() => receiver.open.size === 0, 2_000, 'the receiver to see its connection closed');

    // One connection per origin, and it was given back: the next request is answered.
    const next = await egressRequest(`${receiver.origin}/ok`, { agents });
    expect(next.body.toString()).toBe('done');
  });

  it('holds the deadline when the headers came but the body never ends', async () => {
    const receiver = await receiverOf((_req, res) => {
      res.writeHead(200, { 'content-length': 100 });
      res.write('a little');
    });
    const started = Date.now();
    await expect(egressRequest(receiver.origin, { agents: agentsWith(), timeoutMs: 300 })).rejects.toBeInstanceOf(EgressTimeout);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    await until(() => receiver.open.size === 0, 2_000, 'the receiver to see its connection closed');
  });

  it('counts time spent waiting for one of the origin\'s connections against the deadline', async () => {
    const hang = holdingHandler();
    const receiver = await receiverOf(hang.handler);
    cleanups.push(() => hang.release());
    const agents = agentsWith({ EGRESS_MAX_SOCKETS_PER_ORIGIN: '1' });
    const first = tracked(egressRequest(`${receiver.origin}/hang`, { agents, timeoutMs: 10_000 }));
    await until(() => hang.held.length === 1, 5_000, 'the first request to arrive');

    await expect(egressRequest(`${receiver.origin}/ok`, { agents, timeoutMs: 200 })).rejects.toBeInstanceOf(EgressTimeout);
    expect(receiver.connections).toBe(1);
    expect(first.settled).toBe(false);
    hang.release();
    expect((await first.promise).status).toBe(200);
  });

  it('cuts a 10 MB body at the cap and closes the connection without reading the rest', async () => {
    const total = 10 * 1024 * 1024;
    const sent = { bytes: 0, finished: false };
    const receiver = await receiverOf((_req, res) => {
      res.writeHead(200, { 'content-length': total });
      const chunk = Buffer.alloc(64 * 1024, 0x61);
      const pump = () => {
        while (sent.bytes < total) {
          sent.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end(() => (sent.finished = true));
      };
      pump();
    });
    const response = await egressRequest(`${receiver.origin}/big`, { agents: agentsWith() });
    expect(response.status).toBe(200);
    expect(response.truncated).toBe(true);
    expect(response.body.length).toBe(65_536);
    expect(response.body.every((byte) => byte === 0x61)).toBe(true);
    await until(() => receiver.open.size === 0, 2_000, 'the receiver to see its connection closed');
    expect(sent.finished).toBe(false);
    expect(sent.bytes).toBeLessThan(total);
  });

  it('takes its cap from EGRESS_MAX_RESPONSE_BYTES or the call, and keeps a body within it whole', async () => {
    const receiver = await receiverOf((_req, res) => res.end('x'.repeat(5_000)));
    const agents = agentsWith({ EGRESS_MAX_RESPONSE_BYTES: '1024' });
    const capped = await egressRequest(receiver.origin, { agents });
    expect([capped.body.length, capped.truncated]).toEqual([1024, true]);
    const whole = await egressRequest(receiver.origin, { agents, maxResponseBytes: 5_000 });
    expect([whole.body.length, whole.truncated]).toEqual([5_000, false]);
  });

  it('lets a request to another origin finish while a slow receiver holds all its connections', async () => {
    const slow = holdingHandler();
    const slowReceiver = await receiverOf(slow.handler);
    cleanups.push(() => slow.release());
    const fast = await receiverOf((_req, res) => res.end('fast'));
    const agents = agentsWith(); // EGRESS_MAX_SOCKETS_PER_ORIGIN defaults to 4

    const hanging = Array.from({ length: 6 }, () => tracked(egressRequest(`${slowReceiver.origin}/hang`, { agents, timeoutMs: 20_000 })));
    await until(() => slow.held.length === 4, 5_000, 'four requests to reach the slow receiver');

    const response = await egressRequest(`${fast.origin}/`, { agents, timeoutMs: 5_000 });
    expect(response.body.toString()).toBe('fast');
    // Finished while every request to the slow origin still hangs; that origin got 4 connections, no more.
    expect(hanging.map((h) => h.settled)).toEqual([false, false, false, false, false, false]);
    expect(slowReceiver.connections).toBe(4);
    expect(slow.held.length).toBe(4);

    slow.release();
    const answers = await Promise.all(hanging.map((h) => h.promise));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(slowReceiver.connections).toBe(4);
  });

  it('fails with a retryable EgressError, not a refusal, when the connection is refused or cut short', async () => {
    const agents = agentsWith();
    const closed = await receiverOf((_req, res) => res.end());
    const port = closed.port;
    await closed.close();
    const refused = await egressRequest(`http://127.0.0.1:${port}/`, { agents }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EgressError);
    expect(refused).not.toBeInstanceOf(EgressRefused);
    expect(refused).not.toBeInstanceOf(EgressTimeout);
    expect((refused as Error).message).toMatch(/ECONNREFUSED/);

    const cut = await receiverOf((_req, res) => {
      res.writeHead(200, { 'content-length': 1000 });
      res.write('partial', () => res.destroy());
    });
    const short = await egressRequest(cut.origin, { agents }).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(EgressError);
    expect(short).not.toBeInstanceOf(EgressTimeout);
  });
});
