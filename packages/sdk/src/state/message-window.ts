/** The most recent messages of one conversation, ascending by seq, bounded in size. */
import type { Message } from '../types.js';

export class MessageWindow {
  private readonly bySeq = new Map<number, Message>();
  /** message_id → seq, to find a message a reaction event names. */
  private readonly seqById = new Map<string, number>();
  private sorted: Message[] | null = [];

  constructor(private readonly limit = 200) {}

  /** Adds or replaces (same seq, not an older version) a message; the oldest fall out beyond the limit. */
  put(message: Message): void {
    if (isOlder(message, this.bySeq.get(message.seq))) return;
    this.bySeq.set(message.seq, message);
    this.seqById.set(message.message_id, message.seq);
    this.sorted = null;
    if (this.bySeq.size > this.limit) {
      const excess = [...this.bySeq.keys()].sort((a, b) => a - b).slice(0, this.bySeq.size - this.limit);
      for (const seq of excess) {
        this.seqById.delete(this.bySeq.get(seq)!.message_id);
        this.bySeq.delete(seq);
      }
    }
  }

  /** Applies an edit or delete to a message in the window; ignored if it has fallen out or is older. */
  update(message: Message): void {
    const current = this.bySeq.get(message.seq);
    if (current && !isOlder(message, current)) {
      this.bySeq.set(message.seq, message);
      this.sorted = null;
    }
  }

  /** Retention deleted every message at or below `seq`: they leave the window; the ids that left. */
  dropThrough(seq: number): string[] {
    const gone: string[] = [];
    for (const [at, message] of this.bySeq) {
      if (at > seq) continue;
      gone.push(message.message_id);
      this.bySeq.delete(at);
      this.seqById.delete(message.message_id);
    }
    if (gone.length > 0) this.sorted = null;
    return gone;
  }

  get(seq: number): Message | undefined {
    return this.bySeq.get(seq);
  }

  byId(messageId: string): Message | undefined {
    const seq = this.seqById.get(messageId);
    return seq === undefined ? undefined : this.bySeq.get(seq);
  }

  /** Ascending by seq. */
  messages(): readonly Message[] {
    this.sorted ??= [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
    return this.sorted;
  }

  get oldestSeq(): number | null {
    return this.messages()[0]?.seq ?? null;
  }
}

/** Of two copies of a message, the higher `version` is newer (docs/API.md, Change feed). */
export function isOlder(message: Message, than: Message | undefined | null): boolean {
  return than !== undefined && than !== null && than.message_id === message.message_id && than.version > message.version;
}
