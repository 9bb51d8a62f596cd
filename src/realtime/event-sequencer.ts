import type { EventOrder } from '../bus/event-bus.js';

interface Stream {
  /** Highest seq released; null until the first release (nothing known yet). */
  last: number | null;
  pending: Map<number, () => void>;
  timer: NodeJS.Timeout | undefined;
}

export interface SequencerOptions {
  /** How long a frame that arrives ahead of a gap waits for the missing ones. */
  gapHoldMs: number;
  /**
   * How long the first frame of a stream (event_seq > 1) waits for lower ones. With several processes,
   * two commits a millisecond apart can arrive in either order; with one, never (0 then).
   */
  firstContactHoldMs: number;
}

/**
 * Releases each user's frames of a conversation's events in event_seq order. Commits are
 * ordered, but events from several processes (or pooled database connections, or the SQLite
 * writer thread beside the main thread) can arrive out of order; a frame that arrives ahead of
 * a gap waits briefly for the missing ones, then goes anyway (a gap that does not fill was lost
 * live, and the client fetches it from the change feed).
 */
export class EventSequencer {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly options: SequencerOptions = { gapHoldMs: 250, firstContactHoldMs: 0 }) {}

  offer(userId: string, order: EventOrder, release: () => void): void {
    const key = `${userId}\u0000${order.conversationId}`;
    let stream = this.streams.get(key);
    if (stream && order.restart) {
      // The user (re)joined: the events in between were not theirs to receive.
      this.flush(stream);
      stream.last = order.eventSeq - 1;
    }
    if (!stream) {
      stream = { last: null, pending: new Map(), timer: undefined };
      this.streams.set(key, stream);
      if (order.eventSeq === 1 || this.options.firstContactHoldMs === 0) stream.last = order.eventSeq - 1;
    }
    if (stream.last === null) {
      this.hold(stream, order.eventSeq, release, this.options.firstContactHoldMs);
      return;
    }
    if (order.eventSeq <= stream.last + 1) {
      release();
      stream.last = Math.max(stream.last, order.eventSeq);
      this.drain(stream);
      return;
    }
    this.hold(stream, order.eventSeq, release, this.options.gapHoldMs);
  }

  /**
   * Starts a user's stream at a known position (the conversation's last event_seq when the user's
   * events started to arrive here), so even the first live frame is released in order.
   */
  setBaseline(userId: string, conversationId: string, lastSeq: number): void {
    const key = `${userId}\u0000${conversationId}`;
    if (!this.streams.has(key)) this.streams.set(key, { last: lastSeq, pending: new Map(), timer: undefined });
  }

  /** Drops the user's streams once they have no connection here. */
  forgetUser(userId: string): void {
    const prefix = `${userId}\u0000`;
    for (const [key, stream] of this.streams) {
      if (!key.startsWith(prefix)) continue;
      this.flush(stream);
      this.streams.delete(key);
    }
  }

  private hold(stream: Stream, seq: number, release: () => void, ms: number): void {
    stream.pending.set(seq, release);
    stream.timer ??= setTimeout(() => this.flush(stream), ms);
  }

  private drain(stream: Stream): void {
    if (stream.last === null) return;
    let released = false;
    for (let next = stream.pending.get(stream.last + 1); next; next = stream.pending.get(stream.last + 1)) {
      stream.pending.delete(stream.last + 1);
      stream.last += 1;
      released = true;
      next();
    }
    if (!released || !stream.timer) return;
    // The gap the timer was waiting for is filled; a gap that remains gets a full wait of its own.
    clearTimeout(stream.timer);
    stream.timer = undefined;
    if (stream.pending.size > 0) stream.timer = setTimeout(() => this.flush(stream), this.options.gapHoldMs);
  }

  private flush(stream: Stream): void {
    clearTimeout(stream.timer);
    stream.timer = undefined;
    for (const seq of [...stream.pending.keys()].sort((a, b) => a - b)) {
      stream.pending.get(seq)?.();
      stream.last = Math.max(stream.last ?? 0, seq);
    }
    stream.pending.clear();
  }
}
