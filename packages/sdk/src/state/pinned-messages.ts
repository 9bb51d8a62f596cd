/**
 * Each conversation's pins (docs/API.md, "Pins"), newest first, kept from snapshots and from
 * message.pinned / message.unpinned events. Events arrive in event_seq order, so a new pin goes
 * first, as the server lists them. Each change is "set": applying one twice changes nothing.
 */
import type { PinRef } from '../types.js';

export class PinnedMessages {
  private readonly byConversation = new Map<string, PinRef[]>();

  /** `onChange` hears each pin and unpin that changed something (not reset or forget: their callers say so). */
  constructor(private readonly onChange: (conversationId: string) => void = () => {}) {}

  /** Newest first; an empty list when none (or the conversation is unknown). */
  list(conversationId: string): readonly PinRef[] {
    return this.byConversation.get(conversationId) ?? [];
  }

  has(conversationId: string, messageId: string): boolean {
    return this.list(conversationId).some((p) => p.message_id === messageId);
  }

  /** True when it was not pinned before. */
  pin(conversationId: string, pin: PinRef): boolean {
    if (this.has(conversationId, pin.message_id)) return false;
    this.byConversation.set(conversationId, [pin, ...this.list(conversationId)]);
    this.onChange(conversationId);
    return true;
  }

  /** True when it was pinned (a deleted message's pin goes this way too). */
  unpin(conversationId: string, messageId: string): boolean {
    if (!this.has(conversationId, messageId)) return false;
    this.byConversation.set(conversationId, this.list(conversationId).filter((p) => p.message_id !== messageId));
    this.onChange(conversationId);
    return true;
  }

  /** Replaces a conversation's pins with a snapshot's. */
  reset(conversationId: string, pins: readonly PinRef[]): void {
    this.byConversation.set(conversationId, [...pins]);
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }
}
