import { isReactionEmoji, type Message, type ReactionUsers } from '@pneumatic/protocol';
import { nowIso } from './clock.js';
import { requireMemberIds, requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { ReactionOutcome, Store } from './ports/repositories.js';

export interface ReactionServiceDeps {
  store: Store;
  events: EventPublisher;
  /** At most this many distinct emoji on one message (REACTIONS_MAX_DISTINCT). */
  maxDistinct: number;
}

/**
 * Reactions to messages (docs/API.md, "Reactions"). Adding and removing are idempotent: a change
 * that changes nothing is neither logged nor announced. Members only, on messages not deleted.
 */
export class ReactionService {
  constructor(private readonly deps: ReactionServiceDeps) {}

  async add(callerId: string, messageId: string, emoji: string): Promise<void> {
    requireEmoji(emoji);
    const { message, memberIds } = await this.findForChange(callerId, messageId);
    const outcome = await this.deps.store.reactions.add({ message, emoji, user_id: callerId, at: nowIso() }, this.deps.maxDistinct);
    this.announce('reaction.added', outcome, message, emoji, callerId, memberIds);
  }

  async remove(callerId: string, messageId: string, emoji: string): Promise<void> {
    requireEmoji(emoji);
    const { message, memberIds } = await this.findForChange(callerId, messageId);
    const outcome = await this.deps.store.reactions.remove({ message, emoji, user_id: callerId, at: nowIso() });
    this.announce('reaction.removed', outcome, message, emoji, callerId, memberIds);
  }

  /** Who reacted with what; a deleted message has no reactions left, so an empty list. */
  async list(callerId: string, messageId: string): Promise<ReactionUsers[]> {
    const message = await this.deps.store.messages.findById(messageId);
    if (!message) throw notFound('Message');
    await requireMembership(this.deps.store, message.conversation_id, callerId);
    return this.deps.store.reactions.list(messageId);
  }

  /** The message and its members, after checking the caller is one (404, 403) and the message is not deleted (409). */
  private async findForChange(callerId: string, messageId: string): Promise<{ message: Message; memberIds: string[] }> {
    const message = await this.deps.store.messages.findById(messageId);
    if (!message) throw notFound('Message');
    const memberIds = await requireMemberIds(this.deps.store, message.conversation_id, callerId);
    if (message.deleted) throw messageDeleted();
    return { message, memberIds };
  }

  /** Published with no await since the commit, as every change is. */
  private announce(
    type: 'reaction.added' | 'reaction.removed',
    outcome: ReactionOutcome,
    message: Message,
    emoji: string,
    userId: string,
    memberIds: string[],
  ): void {
    switch (outcome.kind) {
      case 'unchanged':
        return;
      case 'deleted':
        // Deleted between the check and the write.
        throw messageDeleted();
      case 'too_many':
        throw new AppError('too_many_reactions', `A message can carry at most ${this.deps.maxDistinct} different emoji.`);
      case 'changed':
        this.deps.events.publish({
          type,
          conversation_id: message.conversation_id,
          message_id: message.message_id,
          emoji,
          user_id: userId,
          count: outcome.count,
          event_seq: outcome.event_seq,
          member_ids: memberIds,
        });
    }
  }
}

/** 400 invalid_emoji unless the value is exactly one RGI emoji. */
function requireEmoji(emoji: string): void {
  if (!isReactionEmoji(emoji)) throw new AppError('invalid_emoji', 'A reaction is exactly one emoji (a fully-qualified RGI emoji).');
}

const messageDeleted = () => new AppError('message_deleted', 'A deleted message cannot be reacted to.');
