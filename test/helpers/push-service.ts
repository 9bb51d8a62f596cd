/**
 * A browser vendor's push service on loopback, with the browser's side too: it hands out
 * subscriptions the way a browser does (a P-256 key pair and a 16-byte auth secret each, an
 * endpoint `http://127.0.0.1:PORT/push/<token>`), and for each push it checks what a real
 * service checks (the VAPID token, `Content-Encoding: aes128gcm`, a TTL), then decrypts the body
 * the way the browser would (push-crypto.ts) and records it. It can be told to answer 201 (the
 * default), 404, 410, 429, 500, or to hang, per subscription or for all, and to be down (its port
 * closed) for a while. Tests run the server with PUSH_ALLOW_INSECURE_ENDPOINTS=on to reach it.
 */
import { createECDH, randomBytes, type ECDH } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { PushPayload } from '@pneumatic/protocol';
import { decryptAes128gcm, verifyVapid } from './push-crypto.js';

export type PushBehaviour = 201 | 404 | 410 | 429 | 500 | 'hang';

/** A subscription as the browser holds it: its toJSON() is what POST /push/subscriptions takes. */
export interface BrowserSubscription {
  token: string;
  endpoint: string;
  keys: { p256dh: string; auth: string };
  toJSON(): { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

export interface ReceivedPush {
  token: string;
  status: number;
  headers: { ttl: string | undefined; urgency: string | undefined; topic: string | undefined; contentEncoding: string | undefined };
  payload: PushPayload;
  at: number;
}

interface Held {
  ecdh: ECDH;
  auth: Buffer;
}

export class TestPushService {
  /** Pushes the service accepted (answered 2xx), decrypted. */
  readonly delivered: ReceivedPush[] = [];
  /** Every push request, whatever it was answered. */
  readonly requests: { token: string; status: number | 'hang'; at: number }[] = [];
  /** Pushes received whose answer is still held back (latencyMs): in flight, as the sender sees them. */
  readonly unanswered = new Set<ReceivedPush>();
  /** Requests that failed a check a real push service makes (a bad token, encoding, TTL or payload). */
  readonly problems: string[] = [];
  private readonly subscriptions = new Map<string, Held>();
  private readonly behaviour = new Map<string, PushBehaviour>();
  private readonly sockets = new Set<Socket>();
  private readonly hanging = new Set<ServerResponse>();
  private fallback: PushBehaviour = 201;
  private server: Server | null = null;
  private port = 0;
  /** The VAPID key pushes must be signed with; null accepts any valid one. */
  expectedKey: string | null = null;
  /**
   * How long each answer takes. A push is recorded when it is received, before the answer, as a
   * real service may deliver it even if its answer never reaches the sender.
   */
  latencyMs = 0;

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(port = 0): Promise<void> {
    const server = createServer((request, response) => this.handle(request, response));
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Closes the port (connections refused) until `up()`. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Listens again on the same port. */
  up(): Promise<void> {
    return this.start(this.port);
  }

  close(): Promise<void> {
    return this.down();
  }

  /** A new browser subscription on this service. */
  subscribe(): BrowserSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16);
    const token = randomBytes(12).toString('hex');
    this.subscriptions.set(token, { ecdh, auth });
    const endpoint = `${this.origin}/push/${token}`;
    const keys = { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    return { token, endpoint, keys, toJSON: () => ({ endpoint, expirationTime: null, keys }) };
  }

  /** How to answer pushes to one subscription (`token`), or to all that have no answer of their own. */
  answer(behaviour: PushBehaviour, token?: string): void {
    if (token === undefined) this.fallback = behaviour;
    else this.behaviour.set(token, behaviour);
  }

  /** Answers every hanging request 201 (they are then delivered) and stops hanging. */
  releaseHanging(): void {
    this.fallback = this.fallback === 'hang' ? 201 : this.fallback;
    for (const [token, b] of this.behaviour) if (b === 'hang') this.behaviour.set(token, 201);
  }

  deliveredTo(token: string): ReceivedPush[] {
    return this.delivered.filter((p) => p.token === token);
  }

  /** Resolves once `predicate` holds, polling every 20 ms; rejects after `timeoutMs`, saying what was received. */
  async waitFor(predicate: () => boolean, timeoutMs = 10_000, what = 'pushes'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; delivered ${this.delivered.length}, requests ${this.requests.length}, problems: ${this.problems.join('; ')}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => this.respond(request, Buffer.concat(chunks), response));
  }

  private respond(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const token = /^\/push\/([0-9a-f]+)$/.exec(request.url ?? '')?.[1];
    const held = token === undefined ? undefined : this.subscriptions.get(token);
    if (request.method !== 'POST' || token === undefined || !held) return void response.writeHead(404).end();
    const behaviour = this.behaviour.get(token) ?? this.fallback;
    this.requests.push({ token, status: behaviour, at: Date.now() });
    if (behaviour === 'hang') {
      this.hanging.add(response);
      response.on('close', () => this.hanging.delete(response));
      return;
    }
    let payload: PushPayload;
    try {
      verifyVapid(request.headers.authorization, { origin: this.origin, key: this.expectedKey, nowSeconds: Math.floor(Date.now() / 1000) });
      if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error(`Content-Encoding is ${request.headers['content-encoding']}`);
      if (!/^\d+$/.test(String(request.headers.ttl))) throw new Error(`TTL is ${request.headers.ttl}`);
      if (body.length > 4096) throw new Error(`body of ${body.length} bytes exceeds 4096`);
      payload = JSON.parse(decryptAes128gcm(body, held.ecdh, held.auth).toString('utf8')) as PushPayload;
    } catch (error) {
      this.problems.push((error as Error).message);
      return void response.writeHead(400).end();
    }
    let received: ReceivedPush | null = null;
    if (behaviour === 201) {
      const h = request.headers;
      received = { token, status: 201, headers: { ttl: h.ttl as string, urgency: h.urgency as string, topic: h.topic as string, contentEncoding: h['content-encoding'] }, payload, at: Date.now() };
      this.delivered.push(received);
      this.unanswered.add(received);
    }
    const answer = () => {
      if (received) this.unanswered.delete(received);
      response.writeHead(behaviour, behaviour === 429 ? { 'retry-after': '1' } : {}).end();
    };
    if (this.latencyMs > 0) setTimeout(answer, this.latencyMs);
    else answer();
  }
}

/** A push service started on a free loopback port. */
export async function startPushService(): Promise<TestPushService> {
  const service = new TestPushService();
  await service.start();
  return service;
}
