/**
 * Every message of one conversation the app has seen, by seq: the latest page, older pages
 * loaded by scrolling back, and live messages. Unlike the SDK's bounded window it never drops
 * what the user has scrolled back to; duplicates (same message_id or seq) are ignored.
 */
import type { Message } from '@pneumatic/client';

export class MessageLog {
  private readonly bySeq = new Map<number, Message>();
  private sorted: Message[] | null = [];
  /** Older messages exist on the server before the oldest one here. */
  hasMore = true;
  /** The latest page has been fetched. */
  loaded = false;
  loading = false;

  /** Adds a message; false if it was already there (a duplicate delivery). */
  add(message: Message): boolean {
    const existing = this.bySeq.get(message.seq);
    if (existing && existing.message_id === message.message_id && (existing.edited_at ?? '') >= (message.edited_at ?? '') && existing.deleted >= message.deleted) return false;
    if (existing && existing.message_id !== message.message_id) return false;
    this.bySeq.set(message.seq, message);
    this.sorted = null;
    return !existing;
  }

  /** An edit or delete of a message held here. */
  update(message: Message): void {
    if (!this.bySeq.has(message.seq)) return;
    this.bySeq.set(message.seq, message);
    this.sorted = null;
  }

  has(messageId: string): boolean {
    return this.messages().some((m) => m.message_id === messageId);
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
