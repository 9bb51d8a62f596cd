/**
 * The connected members of the hot-message workload: one WebSocket per member, held by the
 * runner, counting the reaction frames each receives and checking that their `event_seq` only
 * increases, so the workload can say whether every connected member saw every change.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { mapBounded } from '../lib/http.js';
import type { BenchUser } from '../lib/setup.js';

interface Listener {
  socket: WebSocket | null;
  frames: number;
  lastSeq: number;
  outOfOrder: number;
}

export interface ListenerTotals {
  /** Reaction frames received, over every socket. */
  delivered: number;
  /** Sockets that received exactly `changes` reaction frames, in `event_seq` order. */
  complete: number;
  outOfOrder: number;
  /** Frames of any other type (an error frame would land here). */
  otherFrames: number;
  closes: number;
}

export class ReactionListeners {
  private readonly listeners: Listener[] = [];
  private otherFrames = 0;
  private closes = 0;
  /** performance.now() of the last reaction frame received. */
  lastFrameAt = 0;

  /** Opens one socket per user (20 handshakes in flight); throws when any fails to open. */
  async open(wsUrl: string, users: BenchUser[]): Promise<void> {
    const failures = await mapBounded(users, 20, (user) => this.openOne(wsUrl, user));
    const failed = failures.filter((f): f is string => f !== null);
    if (failed.length > 0) throw new Error(`${failed.length} of ${users.length} sockets failed to open: ${failed[0]}`);
  }

  private openOne(wsUrl: string, user: BenchUser): Promise<string | null> {
    const listener: Listener = { socket: null, frames: 0, lastSeq: 0, outOfOrder: 0 };
    this.listeners.push(listener);
    return new Promise((resolve) => {
      const socket = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${user.token}` }, perMessageDeflate: false, handshakeTimeout: 10_000 });
      socket.on('open', () => {
        listener.socket = socket;
        resolve(null);
      });
      socket.on('message', (data: Buffer) => this.onFrame(listener, data));
      socket.on('error', (error) => resolve(error.message));
      socket.on('close', () => {
        if (listener.socket === socket) this.closes += 1;
        listener.socket = null;
        resolve('closed before open');
      });
    });
  }

  private onFrame(listener: Listener, data: Buffer): void {
    const frame = JSON.parse(data.toString('utf8')) as { type?: string; event_seq?: number };
    if (frame.type !== 'reaction.added' && frame.type !== 'reaction.removed') {
      this.otherFrames += 1;
      return;
    }
    listener.frames += 1;
    const seq = frame.event_seq ?? 0;
    if (seq <= listener.lastSeq) listener.outOfOrder += 1;
    listener.lastSeq = seq;
    this.lastFrameAt = performance.now();
  }

  /** Forgets the frames counted so far (after the warm-up). */
  reset(): void {
    for (const l of this.listeners) {
      l.frames = 0;
      l.outOfOrder = 0;
    }
    this.otherFrames = 0;
    this.closes = 0;
  }

  totals(changes: number): ListenerTotals {
    let delivered = 0;
    let complete = 0;
    let outOfOrder = 0;
    for (const l of this.listeners) {
      delivered += l.frames;
      outOfOrder += l.outOfOrder;
      if (l.frames === changes && l.outOfOrder === 0) complete += 1;
    }
    return { delivered, complete, outOfOrder, otherFrames: this.otherFrames, closes: this.closes };
  }

  /** Waits until every socket has `changes` frames, or `timeoutMs` passed. */
  async drain(changes: number, timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (performance.now() < deadline && this.listeners.some((l) => l.frames < changes)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  close(): void {
    for (const l of this.listeners) l.socket?.terminate();
  }
}
