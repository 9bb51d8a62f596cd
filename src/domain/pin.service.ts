import { PINS_MAX_PER_CONVERSATION, type Message, type Pin } from '@pneumatic/protocol';
import { nowIso } from './clock.js';
import { requireMayPin, requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { PinOutcome, Store } from './ports/repositories.js';

export interface PinServiceDeps {
  store: Store;
  events: EventPublisher;
  /** At most this many pins per conversation; PINS_MAX_PER_CONVERSATION unless a unit test says otherwise. */
  maxPins?: number;
}

/**
 * Pinned messages of a conversation (docs/API.md, "Pins"). Pinning and unpinning are idempotent:
 * a change that changes nothing is neither logged nor announced. Who may: conversation.policy.ts
 * (`requireMayPin`). Membership is checked before the message is looked up, so a non-member
 * learns nothing about which messages exist.
 */
export class PinService {
  private readonly maxPins: number;

  constructor(private readonly deps: PinServiceDeps) {
    this.maxPins = deps.maxPins ?? PINS_MAX_PER_CONVERSATION;
  }

  async pin(callerId: string, conversationId: string, messageId: string): Promise<void> {
    const { message, memberIds } = await this.findForChange(callerId, conversationId, messageId);
    if (message.deleted) throw messageDeleted();
    const at = nowIso();
    const outcome = await this.deps.store.pins.pin({ message, user_id: callerId, at }, this.maxPins);
    this.announce('message.pinned', outcome, message, callerId, at, memberIds);
  }

  /** A deleted message has no pin left (its delete removed it): unpinning it changes nothing. */
  async unpin(callerId: string, conversationId: string, messageId: string): Promise<void> {
    const { message, memberIds } = await this.findForChange(callerId, conversationId, messageId);
    const at = nowIso();
    const outcome = await this.deps.store.pins.unpin({ message, user_id: callerId, at });
    this.announce('message.unpinned', outcome, message, callerId, at, memberIds);
  }

  /** The conversation's pins, newest first, each with its message as it is now. */
  async list(callerId: string, conversationId: string): Promise<Pin[]> {
    await requireMembership(this.deps.store, conversationId, callerId);
    return this.deps.store.pins.list(conversationId);
  }

  /**
   * The message and the members, after checking the caller may pin here (404 for no such
   * conversation, 403) and the message is one of this conversation's (404 otherwise, even when
   * it exists elsewhere: in this conversation it does not).
   */
  private async findForChange(callerId: string, conversationId: string, messageId: string): Promise<{ message: Message; memberIds: string[] }> {
    const memberIds = await requireMayPin(this.deps.store, conversationId, callerId);
    const message = await this.deps.store.messages.findById(messageId);
    if (!message || message.conversation_id !== conversationId) throw notFound('Message');
    return { message, memberIds };
  }

  /** Published with no await since the commit, as every change is. */
  private announce(type: 'message.pinned' | 'message.unpinned', outcome: PinOutcome, message: Message, userId: string, at: string, memberIds: string[]): void {
    switch (outcome.kind) {
      case 'unchanged':
        return;
      case 'deleted':
        // Deleted between the check and the write.
        throw messageDeleted();
      case 'too_many':
        throw new AppError('too_many_pins', `A conversation can have at most ${this.maxPins} pinned messages; unpin one first.`);
      case 'changed':
        this.deps.events.publish({
          type,
          conversation_id: message.conversation_id,
          message_id: message.message_id,
          user_id: userId,
          at,
          event_seq: outcome.event_seq,
          member_ids: memberIds,
        });
    }
  }
}

const messageDeleted = () => new AppError('message_deleted', 'A deleted message cannot be pinned.');
