/**
 * Unread counts as API.md defines them: messages from others, not deleted, with seq above the
 * user's own last_read_seq. Seeded from `GET /conversations`, then kept current from events.
 */
import type { Message } from '../types.js';

interface Unread {
  lastReadSeq: number;
  /** Unread messages known only as a count (from the server), all with seq <= `baselineUpTo`. */
  baseline: number;
  baselineUpTo: number;
  /** The event_seq the count is as of: a later deletion of a message it counted lowers it. */
  baselineAsOf: number;
  /** Counted messages deleted since, so a deletion applied twice lowers the count once. */
  baselineDeleted: Set<number>;
  /** Unread messages seen since, by seq. */
  seen: Set<number>;
}

export class UnreadCounter {
  private readonly byConversation = new Map<string, Unread>();

  constructor(private readonly selfId: () => string | null) {}

  /**
   * From a conversation summary: the server's count, the user's read position, the last seq,
   * and the event_seq the count is as of (deletions after it lower the count).
   */
  seed(conversationId: string, unreadCount: number, lastReadSeq: number, lastSeq: number, asOfEventSeq = Number.POSITIVE_INFINITY): void {
    this.byConversation.set(conversationId, { lastReadSeq, baseline: unreadCount, baselineUpTo: lastSeq, baselineAsOf: asOfEventSeq, baselineDeleted: new Set(), seen: new Set() });
  }

  /**
   * A later exact count, as of `upToSeq`, for a conversation already seeded: unread messages
   * seen after `upToSeq` still count; the read position stays the one tracked here.
   */
  reseed(conversationId: string, unreadCount: number, upToSeq: number, asOfEventSeq: number): void {
    const unread = this.get(conversationId);
    unread.baseline = unreadCount;
    unread.baselineUpTo = Math.max(unread.baselineUpTo, upToSeq);
    unread.baselineAsOf = asOfEventSeq;
    unread.baselineDeleted.clear();
    for (const seq of unread.seen) if (seq <= unread.baselineUpTo) unread.seen.delete(seq);
  }

  message(message: Message): void {
    const unread = this.get(message.conversation_id);
    if (message.sender_id === this.selfId() || message.deleted || message.seq <= unread.lastReadSeq || message.seq <= unread.baselineUpTo) return;
    unread.seen.add(message.seq);
  }

  /** An edit or delete: a deleted message no longer counts. */
  updated(message: Message): void {
    const unread = this.byConversation.get(message.conversation_id);
    if (!unread || !message.deleted) return;
    unread.seen.delete(message.seq);
    const counted = message.seq <= unread.baselineUpTo && message.seq > unread.lastReadSeq && message.sender_id !== this.selfId();
    if (counted && message.version > unread.baselineAsOf && !unread.baselineDeleted.has(message.seq)) {
      unread.baselineDeleted.add(message.seq);
      unread.baseline = Math.max(0, unread.baseline - 1);
    }
  }

  /** The user's own read position moved (from this or another of their devices). */
  read(conversationId: string, seq: number): void {
    const unread = this.get(conversationId);
    if (seq <= unread.lastReadSeq) return;
    unread.lastReadSeq = seq;
    // Baseline messages are somewhere in (old read position, baselineUpTo]: at most that many remain.
    unread.baseline = seq >= unread.baselineUpTo ? 0 : Math.min(unread.baseline, unread.baselineUpTo - seq);
    for (const s of unread.seen) if (s <= seq) unread.seen.delete(s);
  }

  /** Your read position in a conversation you joined again: it starts afresh, so it may move back. */
  restartRead(conversationId: string, seq: number): void {
    const unread = this.byConversation.get(conversationId);
    if (unread) unread.lastReadSeq = seq;
  }

  count(conversationId: string): number {
    const unread = this.byConversation.get(conversationId);
    return unread ? unread.baseline + unread.seen.size : 0;
  }

  lastReadSeq(conversationId: string): number {
    return this.byConversation.get(conversationId)?.lastReadSeq ?? 0;
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }

  private get(conversationId: string): Unread {
    let unread = this.byConversation.get(conversationId);
    if (!unread) this.byConversation.set(conversationId, (unread = { lastReadSeq: 0, baseline: 0, baselineUpTo: 0, baselineAsOf: 0, baselineDeleted: new Set(), seen: new Set() }));
    return unread;
  }
}
