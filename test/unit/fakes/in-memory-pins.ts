/**
 * Pins of the in-memory Store fake, with the SQL store's rules: one row per (conversation,
 * message); a change that changes nothing logs nothing and takes no event_seq; at most `max`
 * per conversation; none on a deleted message; listed newest pin first.
 */
import type { Pin } from '@pneumatic/protocol';
import type { PinInput, PinOutcome, PinRepository } from '../../../src/domain/ports/repositories.js';
import type { MemoryTables } from './memory-tables.js';

export class InMemoryPinRepository implements PinRepository {
  constructor(private readonly tables: MemoryTables) {}

  async pin(input: PinInput, max: number): Promise<PinOutcome> {
    const { message_id, conversation_id } = input.message;
    const row = this.tables.messages.get(message_id);
    if (!row || row.conversation_id !== conversation_id || row.deleted_at !== null) return { kind: 'deleted' };
    const pins = this.tables.pinsOf(conversation_id);
    if (pins.some((p) => p.message_id === message_id)) return { kind: 'unchanged' };
    if (pins.length >= max) return { kind: 'too_many' };
    this.tables.user(input.user_id);
    const eventSeq = this.tables.logEvent(conversation_id, 'message.pinned', input.user_id, input.at, { message_id, user_id: input.user_id });
    this.tables.pins.push({ conversation_id, message_id, pinned_by: input.user_id, pinned_at: input.at, event_seq: eventSeq });
    return { kind: 'changed', event_seq: eventSeq };
  }

  async unpin(input: PinInput): Promise<PinOutcome> {
    const { message_id, conversation_id } = input.message;
    const before = this.tables.pins.length;
    this.tables.pins = this.tables.pins.filter((p) => !(p.conversation_id === conversation_id && p.message_id === message_id));
    if (this.tables.pins.length === before) return { kind: 'unchanged' };
    const eventSeq = this.tables.logEvent(conversation_id, 'message.unpinned', input.user_id, input.at, { message_id, user_id: input.user_id });
    return { kind: 'changed', event_seq: eventSeq };
  }

  async list(conversationId: string): Promise<Pin[]> {
    return this.tables.pinsOf(conversationId).map((p) => ({
      message: this.tables.message(this.tables.messages.get(p.message_id)!),
      pinned_by: p.pinned_by,
      pinned_at: p.pinned_at,
    }));
  }
}
