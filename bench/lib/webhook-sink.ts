/**
 * A loopback webhook receiver for the benchmark (`--webhooks N`, the webhook-deliveries
 * workload, compare-builds' `--webhooks`): an HTTP server in the runner's process that answers
 * every POST 204 at once (the fastest receiver there can be, so the figures are the server's),
 * and checks what arrives. Signatures are not verified here: the webhook tests do that.
 *
 * Counted: every request, unique `webhook-id`s (a repeat is the same event sent again), and
 * deliveries out of order. Order is kept per webhook and conversation (a lane), not per
 * conversation: N webhooks on one conversation each walk its events on their own.
 */
import { createServer, type Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent, mapBounded, requestRaw } from './http.js';
import type { ConversationSpec } from './protocol.js';
import type { BenchUser } from './setup.js';
import { LatencyRecorder } from './stats.js';

/** The body the server POSTs (docs/API.md, "Outgoing webhooks"): the change feed's event. */
interface WebhookPayload {
  webhook_id?: string;
  timestamp?: string;
  data?: { conversation_id?: string; event_seq?: number };
}

export class WebhookSink {
  /** Requests answered, repeats included. */
  received = 0;
  /** Distinct `webhook-id`s: events delivered. */
  unique = 0;
  /** Unique deliveries whose event_seq was not above the last one of its lane. */
  outOfOrder = 0;
  /** Requests that were not a webhook delivery (no webhook-id, or a body that is not one). */
  malformed = 0;
  /** When the last new `webhook-id` arrived (performance.now()). */
  lastUniqueAt = 0;
  /**
   * Delay of each new delivery: its arrival minus the event's created_at (one machine, one
   * clock; ms resolution). Replace it to measure one phase alone.
   */
  delays = new LatencyRecorder();
  // Grows with every delivery of the run (about 100 bytes each): millions fit a run's memory.
  private readonly seen = new Set<string>();
  private readonly lastSeq = new Map<string, number>();

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<WebhookSink> {
    let sink: WebhookSink | null = null;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        response.writeHead(204).end();
        const id = request.headers['webhook-id'];
        sink?.record(typeof id === 'string' ? id : null, Buffer.concat(chunks).toString('utf8'));
      });
    });
    // Longer than the server's idle-socket timeout (5 s), so an idle connection is always closed
    // by the server: a delivery never meets a socket the sink has just closed (a failed attempt,
    // retried seconds later, would look like a slow server).
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sink = new WebhookSink(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    return sink;
  }

  private record(id: string | null, body: string): void {
    this.received++;
    let payload: WebhookPayload;
    try {
      payload = JSON.parse(body) as WebhookPayload;
    } catch {
      payload = {};
    }
    const lane = `${payload.webhook_id}\0${payload.data?.conversation_id}`;
    const seq = payload.data?.event_seq;
    if (id === null || typeof seq !== 'number' || payload.webhook_id === undefined) {
      this.malformed++;
      return;
    }
    if (this.seen.has(id)) return;
    this.seen.add(id);
    this.unique++;
    this.lastUniqueAt = performance.now();
    const created = Date.parse(payload.timestamp ?? '');
    if (Number.isFinite(created)) this.delays.record(Math.max(0, Date.now() - created));
    if (seq <= (this.lastSeq.get(lane) ?? 0)) this.outOfOrder++;
    else this.lastSeq.set(lane, seq);
  }

  /**
   * Subscribes this sink to message.created of a conversation `token`'s user owns. Resolves
   * false when the server has no webhooks (404: a build from before them, e.g. --compare).
   */
  async subscribe(agent: Agent, baseUrl: string, token: string, conversationId: string): Promise<boolean> {
    const body = { url: `${this.origin}/hooks/${conversationId}`, event_types: ['message.created'], conversation_id: conversationId };
    const res = await requestRaw(agent, baseUrl, 'POST', '/webhooks', { token, body });
    if (res.status === 404) return false;
    if (res.status !== 201) throw new Error(`POST /webhooks answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`);
    return true;
  }

  /**
   * Resolves once `unique` reaches `count`, or when no new delivery has come for `idleMs`
   * (a lane waiting for a retry, or events that never come), with whether it got there.
   */
  async waitForUnique(count: number, idleMs = 3000): Promise<boolean> {
    let last = this.unique;
    let lastChange = performance.now();
    while (this.unique < count) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (this.unique !== last) {
        last = this.unique;
        lastChange = performance.now();
      } else if (performance.now() - lastChange > idleMs) return false;
    }
    return true;
  }

  /** The counters, for the report. */
  totals(): WebhookSinkTotals {
    return { received: this.received, unique: this.unique, repeats: this.received - this.unique - this.malformed, outOfOrder: this.outOfOrder, malformed: this.malformed };
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

export interface WebhookSinkTotals {
  received: number;
  unique: number;
  /** Requests with a webhook-id seen before. */
  repeats: number;
  outOfOrder: number;
  malformed: number;
}

/**
 * `perConversation` webhooks on every conversation, each created by its owner (its first member,
 * who created it). Resolves false, having created none, when the server has no webhooks.
 */
export async function subscribeConversations(sink: WebhookSink, baseUrl: string, users: readonly BenchUser[], conversations: readonly ConversationSpec[], perConversation: number): Promise<boolean> {
  const tokenOf = new Map(users.map((u) => [u.id, u.token]));
  const agent = createAgent(16);
  try {
    const first = conversations[0];
    if (!first || !(await sink.subscribe(agent, baseUrl, tokenOf.get(first.memberIds[0]!)!, first.id))) return false;
    const wanted = conversations.flatMap((c) => Array.from({ length: perConversation }, () => c)).slice(1);
    await mapBounded(wanted, 16, (c) => sink.subscribe(agent, baseUrl, tokenOf.get(c.memberIds[0]!)!, c.id));
    return true;
  } finally {
    agent.destroy();
  }
}

/** `--webhooks N`: the sink and how many subscriptions each conversation of this build gets. */
export interface ActiveWebhooks {
  sink: WebhookSink;
  perConversation: number;
}

let active: ActiveWebhooks | null = null;

/** The sink the messaging workloads subscribe this build's conversations to, or null without --webhooks. */
export function activeWebhooks(): ActiveWebhooks | null {
  return active;
}

export function setActiveWebhooks(webhooks: ActiveWebhooks | null): void {
  active = webhooks;
}

/** What a server needs to deliver to a loopback http:// receiver (test settings, never production). */
export const WEBHOOK_SINK_ENV: Readonly<Record<string, string>> = {
  WEBHOOK_ALLOW_HTTP: 'on',
  EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on',
  // Owners of many benchmark conversations may need more than the default 20.
  WEBHOOKS_MAX_PER_USER: '10000',
};
