/**
 * A webhook receiver on loopback, as a user would write one: it verifies each request's
 * Standard Webhooks signature with the scheme's own library (`standardwebhooks`), answers what
 * the test tells it to, and dedupes by `webhook-id`. It can go down and come back on the same
 * port, like a receiver being redeployed.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  id: string;
  timestamp: number;
  body: { type: string; timestamp: string; webhook_id: string; data: { conversation_id: string; event_seq: number; type: string; [key: string]: unknown } };
  at: number;
}

export class WebhookReceiver {
  /** Every request that arrived, verified or not, in arrival order. */
  readonly requests: Array<{ id: string | undefined; verified: boolean; status: number }> = [];
  /** Each verified delivery answered 2xx, once per webhook-id (the first). */
  readonly unique = new Map<string, ReceivedDelivery>();
  /** Verified deliveries answered 2xx, repeats included, in arrival order. */
  readonly accepted: ReceivedDelivery[] = [];
  /** Status to answer next; a function sees the delivery. */
  respond: (delivery: ReceivedDelivery) => number = () => 204;
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  private server: http.Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private secrets: string[]) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  /** Verifies with any of these secrets (a rotation's overlap). */
  useSecrets(secrets: string[]): void {
    this.secrets = secrets;
  }

  async start(port = this.port): Promise<void> {
    const server = http.createServer((request, response) => void this.handle(request, response));
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
  }

  /** Down: the port refuses connections until start() again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The unique deliveries of one conversation, in the order they were first accepted. */
  ofConversation(conversationId: string): ReceivedDelivery[] {
    return [...this.unique.values()].filter((d) => d.body.data.conversation_id === conversationId);
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const id = request.headers['webhook-id'] as string | undefined;
    const headers = { 'webhook-id': id ?? '', 'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''), 'webhook-signature': String(request.headers['webhook-signature'] ?? '') };
    const verified = this.secrets.some((secret) => {
      try {
        new Webhook(secret).verify(raw, headers);
        return true;
      } catch {
        return false;
      }
    });
    if (!verified || id === undefined) {
      this.requests.push({ id, verified: false, status: 401 });
      response.writeHead(401).end();
      return;
    }
    const delivery: ReceivedDelivery = { id, timestamp: Number(headers['webhook-timestamp']), body: JSON.parse(raw) as ReceivedDelivery['body'], at: Date.now() };
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const status = this.respond(delivery);
    this.requests.push({ id, verified: true, status });
    if (status >= 200 && status < 300) {
      this.accepted.push(delivery);
      if (!this.unique.has(id)) this.unique.set(id, delivery);
    }
    response.writeHead(status).end();
  }
}
