/**
 * Gathers what a process publishes in one turn of its event loop into one message per channel,
 * and those messages into one hand-over to Redis (on a single Redis, one pipelined socket
 * write: a write per command cost more CPU than anything else the bus does). A group commit
 * acknowledges many sends at once and their events leave together, so this turns a PUBLISH
 * per event into a PUBLISH per channel per turn: fewer commands to encode and parse, fewer
 * socket writes here and fewer messages for every receiving process. Order within a channel
 * is kept. The batch leaves when the turn's I/O callbacks are done (setImmediate), a
 * delay of well under a millisecond.
 */
import type { ChannelMessage } from './redis-channels.js';
import { encodeBatch } from './redis-envelope.js';

interface Pending {
  parts: string[];
  /** Called if the batch could not be published (for what must be sent again later). */
  onUnsent: (() => void)[];
}

export class PublishBatcher {
  private pending = new Map<string, Pending>();
  private scheduled = false;

  constructor(
    private readonly origin: string,
    /** Publishes each message on its channel; resolves with whether each was sent. */
    private readonly publish: (messages: readonly ChannelMessage[]) => Promise<boolean[]>,
    private readonly onUnsentBatch: () => void,
  ) {}

  add(channel: string, encodedEnvelope: string, onUnsent?: () => void): void {
    let batch = this.pending.get(channel);
    if (!batch) {
      batch = { parts: [], onUnsent: [] };
      this.pending.set(channel, batch);
    }
    batch.parts.push(encodedEnvelope);
    if (onUnsent) batch.onUnsent.push(onUnsent);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.flush());
  }

  flush(): void {
    this.scheduled = false;
    const batches = [...this.pending.values()];
    const messages = [...this.pending].map(([channel, batch]) => ({ channel, message: encodeBatch(this.origin, batch.parts) }));
    this.pending = new Map();
    void this.publish(messages).then((sent) => {
      for (const [i, batch] of batches.entries()) {
        if (sent[i]) continue;
        this.onUnsentBatch();
        for (const unsent of batch.onUnsent) unsent();
      }
    });
  }
}
