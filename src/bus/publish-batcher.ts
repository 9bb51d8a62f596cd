/**
 * Gathers what a process publishes in one turn of its event loop into one message per channel.
 * A group commit acknowledges many sends at once and their events leave together, so this turns
 * a PUBLISH per event into a PUBLISH per channel per turn: fewer commands to encode and parse,
 * fewer socket writes here and fewer messages for every receiving process. Order within a
 * channel is kept. The batch leaves when the turn's I/O callbacks are done (setImmediate), a
 * delay of well under a millisecond.
 */
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
    /** Publishes one message on one channel; resolves when sent, rejects if it failed. */
    private readonly publish: (channel: string, message: string) => Promise<unknown>,
    private readonly onError: (error: unknown) => void,
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
    const batches = this.pending;
    this.pending = new Map();
    for (const [channel, batch] of batches) {
      this.publish(channel, encodeBatch(this.origin, batch.parts)).catch((error: unknown) => {
        this.onError(error);
        for (const unsent of batch.onUnsent) unsent();
      });
    }
  }
}
