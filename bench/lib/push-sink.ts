/**
 * Push bookkeeping for the send benchmarks: a stand-in push service on loopback that answers
 * every push with 201 (as a browser vendor's service does) and counts them, and the browser side
 * of a subscription (a P-256 key and an auth secret) registered for each bench user, so a server
 * with Web Push pushes every notifying message to every recipient. The sink neither checks nor
 * decrypts: what is measured is the server's cost of queueing, encrypting and sending.
 */
import { createECDH, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent, mapBounded, request } from './http.js';
import type { BenchUser } from './setup.js';

export interface PushSink {
  url: string;
  /** Pushes received so far. */
  received(): number;
  close(): Promise<void>;
}

export async function startPushSink(): Promise<PushSink> {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(201, { location: `/m/${count}` }).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const base64url = (bytes: Buffer) => bytes.toString('base64url');

/** Registers one browser-like subscription per user, each with its own endpoint on the sink. */
export async function subscribeUsers(baseUrl: string, users: readonly BenchUser[], sink: PushSink): Promise<void> {
  const agent = createAgent(16);
  try {
    await mapBounded([...users.keys()], 16, async (i) => {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const body = { endpoint: `${sink.url}/push/${i}`, expirationTime: null, keys: { p256dh: base64url(ecdh.getPublicKey()), auth: base64url(randomBytes(16)) } };
      const res = await request(agent, baseUrl, 'POST', '/push/subscriptions', { token: users[i]!.token, body });
      if (res.status !== 201 && res.status !== 200) throw new Error(`push subscription refused: ${res.status} ${res.body}`);
    });
  } finally {
    agent.destroy();
  }
}
