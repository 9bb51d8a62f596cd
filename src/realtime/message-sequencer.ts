import type { SeqOrder } from '../bus/event-bus.js';

interface Stream {
  last: number;
  pending: Map<number, () => void>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Releases each user's `message` events of a conversation in seq order. Commits are ordered,
 * but events from several processes (or pooled database connections) can arrive out of order;
 * a frame that arrives ahead of a gap waits up to `holdMs` for the missing ones, then goes
 * anyway (a gap that does not fill was lost live, and the client catches up from history).
 */
export class MessageSequencer {
  private readonly streams = new Map<string, Stream>();

  constructor(private readonly holdMs = 250) {}

  offer(userId: string, order: SeqOrder, release: () => void): void {
    const key = `${userId}\u0000${order.conversationId}`;
    const stream = this.streams.get(key);
    if (!stream) {
      this.streams.set(key, { last: order.seq, pending: new Map(), timer: undefined });
      release();
      return;
    }
    if (order.seq <= stream.last + 1) {
      release();
      stream.last = Math.max(stream.last, order.seq);
      this.drain(stream);
      return;
    }
    stream.pending.set(order.seq, release);
    stream.timer ??= setTimeout(() => this.flush(stream), this.holdMs);
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

  private drain(stream: Stream): void {
    for (let next = stream.pending.get(stream.last + 1); next; next = stream.pending.get(stream.last + 1)) {
      stream.pending.delete(stream.last + 1);
      stream.last += 1;
      next();
    }
    if (stream.pending.size === 0 && stream.timer) {
      clearTimeout(stream.timer);
      stream.timer = undefined;
    }
  }

  private flush(stream: Stream): void {
    clearTimeout(stream.timer);
    stream.timer = undefined;
    for (const seq of [...stream.pending.keys()].sort((a, b) => a - b)) {
      stream.pending.get(seq)?.();
      stream.last = Math.max(stream.last, seq);
    }
    stream.pending.clear();
  }
}
