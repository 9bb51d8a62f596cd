/**
 * Unread mentions as API.md defines them ("Mentions"): unread messages (from others, not
 * deleted, seq above your last_read_seq) whose `mentions` name you or whose `mentions_all` is
 * set. Seeded from `GET /conversations` (`unread_mentions`), then kept current from messages,
 * edits and reads, alongside the unread count (UnreadCounter).
 */
import type { Message } from '../types.js';

interface Mentions {
  lastReadSeq: number;
  /** Mentions known only as a count (from the server), all in messages with seq <= `baselineUpTo`. */
  baseline: number;
  baselineUpTo: number;
  /** The event_seq the count is as of: a later edit or deletion of a message it counted changes it. */
  baselineAsOf: number;
  /** Messages at or below `baselineUpTo` changed since the count, by seq: whether each mentions you now. */
  changed: Map<number, boolean>;
  /** Unread messages above `baselineUpTo` that mention you, by seq. */
  seen: Set<number>;
}

export class MentionCounter {
  private readonly byConversation = new Map<string, Mentions>();

  constructor(private readonly selfId: () => string | null) {}

  /** Whether the message, as it is now, counts as a mention of you (the read position aside). */
  mentionsMe(message: Message): boolean {
    const self = this.selfId();
    if (message.deleted || self === null || message.sender_id === self) return false;
    return message.mentions_all === true || (message.mentions?.includes(self) ?? false);
  }

  /** From a conversation summary: the server's count, your read position, the last seq and the count's event_seq. */
  seed(conversationId: string, count: number, lastReadSeq: number, lastSeq: number, asOfEventSeq = Number.POSITIVE_INFINITY): void {
    this.byConversation.set(conversationId, { lastReadSeq, baseline: count, baselineUpTo: lastSeq, baselineAsOf: asOfEventSeq, changed: new Map(), seen: new Set() });
  }

  /** A later exact count, as of `upToSeq`: mentions seen after it still count; the read position stays. */
  reseed(conversationId: string, count: number, upToSeq: number, asOfEventSeq: number): void {
    const state = this.get(conversationId);
    state.baseline = count;
    state.baselineUpTo = Math.max(state.baselineUpTo, upToSeq);
    state.baselineAsOf = asOfEventSeq;
    state.changed.clear();
    for (const seq of state.seen) if (seq <= state.baselineUpTo) state.seen.delete(seq);
  }

  /** A new message (live, caught up, or in a snapshot). */
  message(message: Message): void {
    const state = this.get(message.conversation_id);
    if (message.seq <= state.lastReadSeq || message.seq <= state.baselineUpTo || !this.mentionsMe(message)) return;
    state.seen.add(message.seq);
  }

  /**
   * An edit or delete. `held` is the copy known before it, if any: a message the server's count
   * covers is adjusted only when its mention of you is known to have changed since that count.
   */
  updated(message: Message, held: Message | undefined): void {
    const state = this.byConversation.get(message.conversation_id);
    if (!state || message.seq <= state.lastReadSeq) return;
    const now = this.mentionsMe(message);
    if (message.seq > state.baselineUpTo) {
      if (now) state.seen.add(message.seq);
      else state.seen.delete(message.seq);
      return;
    }
    if (message.version <= state.baselineAsOf) return;
    const before = state.changed.get(message.seq) ?? (held && held.version <= state.baselineAsOf ? this.mentionsMe(held) : undefined);
    if (before === undefined) return;
    state.changed.set(message.seq, now);
    if (before !== now) state.baseline = Math.max(0, state.baseline + (now ? 1 : -1));
  }

  /** Your read position moved: what it passed is read. */
  read(conversationId: string, seq: number): void {
    const state = this.get(conversationId);
    if (seq <= state.lastReadSeq) return;
    state.lastReadSeq = seq;
    // The baseline's mentions are in messages somewhere in (old position, baselineUpTo]: at most that many remain.
    state.baseline = seq >= state.baselineUpTo ? 0 : Math.min(state.baseline, state.baselineUpTo - seq);
    for (const s of state.seen) if (s <= seq) state.seen.delete(s);
    for (const s of state.changed.keys()) if (s <= seq) state.changed.delete(s);
  }

  /** Your read position in a conversation you joined again: it starts afresh, so it may move back. */
  restartRead(conversationId: string, seq: number): void {
    const state = this.byConversation.get(conversationId);
    if (state) state.lastReadSeq = seq;
  }

  count(conversationId: string): number {
    const state = this.byConversation.get(conversationId);
    return state ? state.baseline + state.seen.size : 0;
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }

  private get(conversationId: string): Mentions {
    let state = this.byConversation.get(conversationId);
    if (!state) this.byConversation.set(conversationId, (state = { lastReadSeq: 0, baseline: 0, baselineUpTo: 0, baselineAsOf: 0, changed: new Map(), seen: new Set() }));
    return state;
  }
}
