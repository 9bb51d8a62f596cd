import type { EventOrder } from '../bus/event-bus.js';

interface Held {
  release: () => void;
  end: boolean;
}

interface Stream {
  /** Highest event_seq released; null until the first release (nothing known yet). */
  last: number | null;
  pending: Map<number, Held>;
  timer: NodeJS.Timeout | undefined;
  /** The event that removed the user from the conversation: nothing after it is theirs. */
  endedAt: number | null;
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
 * live, and the client fetches it from the change feed). A missing frame that turns up after
 * that is dropped, never delivered out of order: the client fills the gap from the change feed
 * (`GET /conversations/{id}/events`; a v1 client catching up with `?after=` gets the message then).
 *
 * A send's audience is the membership read before its commit, so a message committed just after
 * a member's removal may still be addressed to them: the frame that removes a user ends their
 * stream (`end`), and anything after it is dropped until a frame that adds them again
 * (`restart`).
 */
export class EventSequencer {
  /**
   * By user, then conversation, so a user's streams are found (and forgotten) without scanning
   * everyone's. A conversation that has only a baseline (the position when the user connected)
   * holds that number alone: a user idles in many conversations, and a Stream with its Map for
   * each was memory on every idle connection. The Stream is made when the first frame arrives.
   */
  private readonly users = new Map<string, Map<string, Stream | number>>();

  constructor(private readonly options: SequencerOptions = { gapHoldMs: 250, firstContactHoldMs: 0 }) {}

  offer(userId: string, order: EventOrder, release: () => void): void {
    const held: Held = { release, end: order.end === true };
    let streams = this.users.get(userId);
    if (!streams) this.users.set(userId, (streams = new Map()));
    const entry = streams.get(order.conversationId);
    let stream = typeof entry === 'number' ? newStream(entry) : entry;
    if (stream && stream !== entry) streams.set(order.conversationId, stream);
    if (stream && order.restart) {
      // A (re)join, or the conversation's creation, older than what went already: a late frame
      // (e.g. the creation published before this socket subscribed, arriving after later
      // events). Moving the stream back to it would let later late frames out of order.
      if (stream.last !== null && order.eventSeq <= stream.last) return;
      // The user (re)joined: what is held from before goes first, the events in between were not
      // theirs to receive.
      this.flushBelow(stream, order.eventSeq);
      stream.last = order.eventSeq - 1;
      stream.endedAt = null;
    }
    if (!stream) {
      stream = newStream(null);
      streams.set(order.conversationId, stream);
      if (order.eventSeq === 1 || order.restart || this.options.firstContactHoldMs === 0) stream.last = order.eventSeq - 1;
    }
    if (stream.endedAt !== null && order.eventSeq > stream.endedAt) return;
    if (stream.last === null) {
      this.hold(stream, order.eventSeq, held, this.options.firstContactHoldMs);
      return;
    }
    // Late (its gap was given up on and later events went) or repeated: delivering it now would
    // break the order every device relies on, and the client already saw the skip.
    if (order.eventSeq <= stream.last) return;
    if (order.eventSeq === stream.last + 1) {
      this.release(stream, order.eventSeq, held);
      this.drain(stream);
      return;
    }
    this.hold(stream, order.eventSeq, held, this.options.gapHoldMs);
  }

  /**
   * Starts a user's stream at a known position (the conversation's last event_seq when the user's
   * events started to arrive here), so even the first live frame is released in order.
   */
  setBaseline(userId: string, conversationId: string, lastEventSeq: number): void {
    let streams = this.users.get(userId);
    if (!streams) this.users.set(userId, (streams = new Map()));
    if (!streams.has(conversationId)) streams.set(conversationId, lastEventSeq);
  }

  /** Drops the user's streams once they have no connection here, releasing what they held. */
  forgetUser(userId: string): void {
    const streams = this.users.get(userId);
    if (!streams) return;
    this.users.delete(userId);
    for (const stream of streams.values()) if (typeof stream !== 'number') this.flush(stream);
  }

  private release(stream: Stream, eventSeq: number, held: Held): void {
    if (stream.endedAt !== null && eventSeq > stream.endedAt) return;
    held.release();
    stream.last = Math.max(stream.last ?? 0, eventSeq);
    if (held.end) stream.endedAt = eventSeq;
  }

  private hold(stream: Stream, eventSeq: number, held: Held, ms: number): void {
    stream.pending.set(eventSeq, held);
    stream.timer ??= setTimeout(() => this.flush(stream), ms);
  }

  private drain(stream: Stream): void {
    if (stream.last === null) return;
    let released = false;
    for (let next = stream.pending.get(stream.last + 1); next; next = stream.pending.get(stream.last + 1)) {
      stream.pending.delete(stream.last + 1);
      this.release(stream, stream.last + 1, next);
      released = true;
    }
    if (!released || !stream.timer) return;
    // The gap the timer was waiting for is filled; a gap that remains gets a full wait of its own.
    clearTimeout(stream.timer);
    stream.timer = undefined;
    if (stream.pending.size > 0) stream.timer = setTimeout(() => this.flush(stream), this.options.gapHoldMs);
  }

  /** Releases, in order, the held frames before `eventSeq`; later ones stay held. */
  private flushBelow(stream: Stream, eventSeq: number): void {
    const below = [...stream.pending].filter(([seq]) => seq < eventSeq).sort(([a], [b]) => a - b);
    for (const [seq, held] of below) {
      stream.pending.delete(seq);
      this.release(stream, seq, held);
    }
    if (stream.pending.size === 0) {
      clearTimeout(stream.timer);
      stream.timer = undefined;
    }
  }

  private flush(stream: Stream): void {
    clearTimeout(stream.timer);
    stream.timer = undefined;
    const pending = [...stream.pending].sort(([a], [b]) => a - b);
    stream.pending.clear();
    for (const [eventSeq, held] of pending) this.release(stream, eventSeq, held);
  }
}

/** A stream whose last released event_seq is `last` (null: nothing known yet). */
function newStream(last: number | null): Stream {
  return { last, pending: new Map(), timer: undefined, endedAt: null };
}
