/** What one step measures: every send in flight, and what the server's frames say about it. */
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import type { ClientSpec } from '../lib/protocol.js';
import { LatencyRecorder, type Percentiles } from '../lib/stats.js';
import { fastParse, type Frame } from './frame-parser.js';

/** Content of every sent message starts with this, then the send time: the receiver reads it back. */
const CONTENT_PREFIX = 'bench:';

/** A message's content: the send time (read back by every receiver), padded to `bytes`. */
export function padContent(sentAt: number, bytes: number): string {
  const head = `${CONTENT_PREFIX}${sentAt.toFixed(3)}:`;
  return head.length >= bytes ? head : head + 'x'.repeat(bytes - head.length);
}

export interface Client {
  index: number;
  spec: ClientSpec;
  socket: WebSocket | null;
  /** Highest seq seen per conversation on this connection: a repeat or a step back is a violation. */
  lastSeq: Map<string, number>;
}

export interface Sent {
  sentAt: number;
  sender: number;
  expected: number;
  received: number;
  acked: boolean;
}

/** Counters and samples of the step in progress; replaced at each step. */
export class StepState {
  readonly inflight = new Map<string, Sent>();
  /** Sent messages in send order, to find old undelivered ones cheaply. */
  readonly order: Sent[] = [];
  head = 0;
  acked = 0;
  delivered = 0;
  expectedDeliveries = 0;
  duplicates = 0;
  outOfOrder = 0;
  stale = 0;
  errors = 0;
  closes = 0;
  errorSamples: string[] = [];
  readonly ack = new LatencyRecorder();
  readonly delivery = new LatencyRecorder();
  /** Wall-clock time (Date.now(), one clock for every process here) as the step began: the runner sets its seconds beside a job's progress. */
  private readonly startedAtMs = Date.now();
  private readonly startedAt = performance.now();
  /** Acks per second since the step began: a server stalled for part of a second shows as a dip there. */
  private readonly acksPerSecond: number[] = [];

  error(text: string): void {
    this.errors += 1;
    if (this.errorSamples.length < 5) this.errorSamples.push(text.slice(0, 300));
  }

  /** The step's latencies and its acks per second, for its result. */
  figures(): { ack: Percentiles; delivery: Percentiles; ackedPerSecond: number[]; startedAtMs: number } {
    return { ack: this.ack.percentiles(), delivery: this.delivery.percentiles(), ackedPerSecond: Array.from(this.acksPerSecond, (n) => n ?? 0), startedAtMs: this.startedAtMs };
  }

  get complete(): boolean {
    return this.acked === this.order.length && this.delivered >= this.expectedDeliveries;
  }

  /** Counts one frame from the server, received on `client` at `now`. */
  onFrame(client: Client, data: Buffer, now: number): void {
    let frame: Frame | null = fastParse(data.toString('latin1'));
    if (frame === null) {
      try {
        frame = JSON.parse(data.toString('utf8')) as Frame;
      } catch {
        this.error('invalid JSON from server');
        return;
      }
    }
    if (frame.type === 'message' && frame.message) {
      const m = frame.message;
      const last = client.lastSeq.get(m.conversation_id) ?? 0;
      if (m.seq === last) this.duplicates += 1;
      else if (m.seq < last) this.outOfOrder += 1;
      else client.lastSeq.set(m.conversation_id, m.seq);
      const sent = this.inflight.get(m.message_id);
      if (!sent) {
        this.stale += 1;
        return;
      }
      sent.received += 1;
      if (sent.received > sent.expected) {
        this.duplicates += 1;
        return;
      }
      this.delivered += 1;
      // The send time travels in the content; it is read back at the receiver.
      const end = m.content.indexOf(':', CONTENT_PREFIX.length);
      const sentAt = m.content.startsWith(CONTENT_PREFIX) ? Number(m.content.slice(CONTENT_PREFIX.length, end)) : NaN;
      this.delivery.record(now - (Number.isFinite(sentAt) ? sentAt : sent.sentAt));
    } else if (frame.type === 'ack' && typeof frame.message_id === 'string') {
      const sent = this.inflight.get(frame.message_id);
      if (!sent) {
        this.stale += 1;
        return;
      }
      if (sent.acked) {
        this.duplicates += 1;
        return;
      }
      if (sent.sender !== client.index) this.error('ack on another connection than the sender');
      sent.acked = true;
      this.acked += 1;
      this.ack.record(now - sent.sentAt);
      const second = Math.floor((now - this.startedAt) / 1000);
      this.acksPerSecond[second] = (this.acksPerSecond[second] ?? 0) + 1;
    } else if (frame.type === 'error') {
      this.error(`error frame ${frame.code}: ${frame.detail}`);
    }
    // member.added, read, typing and the like are not part of the measurement.
  }
}
