/**
 * `--push`: sends measured with push bookkeeping on (docs/architecture.md, "The push queue").
 * Every benchmark user registers a browser subscription whose endpoint is this sink, a loopback
 * HTTP server in the runner's process that answers each push 201 after `latencyMs` (a push
 * service's round trip), so the server keeps a push queue filling and draining while the
 * workload sends. The server runs with PUSH_ALLOW_INSECURE_ENDPOINTS=on to reach it; a build
 * without Web Push (--compare an older commit) refuses the subscriptions, which is ignored.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Agent } from 'node:http';
import { requestJson } from './http.js';

export class PushSink {
  received = 0;
  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(latencyMs: number): Promise<PushSink> {
    let sink: PushSink | null = null;
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (sink) sink.received++;
        setTimeout(() => response.writeHead(201).end(), latencyMs);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new PushSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink;
  }

  /** Registers a browser of the user on this sink; false when the server has no Web Push. */
  async subscribe(agent: Agent, baseUrl: string, token: string): Promise<boolean> {
    const body = {
      endpoint: `${this.origin}/push/${randomBytes(8).toString('hex')}`,
      keys: { p256dh: createECDH('prime256v1').generateKeys().toString('base64url'), auth: randomBytes(16).toString('base64url') },
    };
    return requestJson(agent, baseUrl, 'POST', '/push/subscriptions', { body, token }).then(() => true, () => false);
  }

  /** Resolves once no push has arrived for 500 ms (at most 30 s): the pushes of what was sent have gone. */
  async settled(): Promise<void> {
    const deadline = Date.now() + 30_000;
    let last = -1;
    while (this.received !== last && Date.now() < deadline) {
      last = this.received;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let active: PushSink | null = null;

/** The sink users subscribe to as they are created (setup.ts), or null without --push. */
export function activePushSink(): PushSink | null {
  return active;
}

export function setActivePushSink(sink: PushSink | null): void {
  active = sink;
}
