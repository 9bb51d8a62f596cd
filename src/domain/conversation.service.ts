import { randomUUID } from 'node:crypto';
import type { Conversation, CreateConversationBody, Member } from '@pneumatic/protocol';
import { nowIso } from './clock.js';
import { requireMayRemove, requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { ConversationPage, Store } from './ports/repositories.js';

export interface ConversationServiceDeps {
  store: Store;
  events: EventPublisher;
}

/** Conversations, their members, read positions and typing. */
export class ConversationService {
  constructor(private readonly deps: ConversationServiceDeps) {}

  async create(callerId: string, body: CreateConversationBody): Promise<Conversation> {
    const memberIds = [...new Set(body.member_ids)].filter((id) => id !== callerId);
    const existing = new Set(await this.deps.store.users.existingIds(memberIds));
    const missing = memberIds.filter((id) => !existing.has(id));
    if (missing.length > 0) {
      throw new AppError('user_not_found', `member_ids: ${missing.length} of the ids name no user (first: ${missing[0]}).`);
    }
    const conversation = await this.deps.store.conversations.create({
      id: randomUUID(),
      title: body.title,
      created_by: callerId,
      created_at: nowIso(),
      member_ids: memberIds,
    });
    this.deps.events.publish({ type: 'conversation.created', conversation });
    return conversation;
  }

  async get(callerId: string, conversationId: string): Promise<Conversation> {
    await requireMembership(this.deps.store, conversationId, callerId);
    return this.load(conversationId);
  }

  list(callerId: string, limit: number, cursor: string | undefined): Promise<ConversationPage> {
    return this.deps.store.conversations.listForUser(callerId, limit, cursor);
  }

  /** Any member may add; adding an existing member changes nothing and reports `added: false`. */
  async addMember(callerId: string, conversationId: string, userId: string): Promise<{ member: Member; added: boolean }> {
    await requireMembership(this.deps.store, conversationId, callerId);
    if (!(await this.deps.store.users.findById(userId))) throw new AppError('user_not_found', 'No user has this user_id.');
    const result = await this.deps.store.conversations.addMember(conversationId, userId, nowIso());
    if (result.added) {
      const conversation = await this.load(conversationId);
      this.deps.events.publish({ type: 'member.added', conversation, user_id: userId });
    }
    return result;
  }

  async removeMember(callerId: string, conversationId: string, userId: string): Promise<void> {
    const caller = await requireMembership(this.deps.store, conversationId, callerId);
    requireMayRemove(caller, callerId, userId);
    // Read before removing: the removed user is told too.
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    if (!(await this.deps.store.conversations.removeMember(conversationId, userId))) {
      throw notFound('Member');
    }
    this.deps.events.publish({ type: 'member.removed', conversation_id: conversationId, user_id: userId, member_ids: memberIds });
  }

  /** `last_read_seq` only moves forward; a seq past the end counts as the end. */
  async markRead(callerId: string, conversationId: string, seq: number): Promise<void> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const moved = await this.deps.store.conversations.advanceReadSeq(conversationId, callerId, seq);
    if (moved === null) return;
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    this.deps.events.publish({ type: 'read.advanced', conversation_id: conversationId, user_id: callerId, seq: moved, member_ids: memberIds });
  }

  /** Checks membership for a socket `join` and reports where the conversation stands. */
  async join(callerId: string, conversationId: string): Promise<{ last_seq: number }> {
    await requireMembership(this.deps.store, conversationId, callerId);
    return { last_seq: (await this.deps.store.conversations.lastSeq(conversationId)) ?? 0 };
  }

  /** Where each of the user's conversations stands: the baseline for ordering their live events. */
  positions(userId: string): Promise<{ conversation_id: string; last_seq: number }[]> {
    return this.deps.store.conversations.lastSeqsForUser(userId);
  }

  /** Tells the other members' connections; nothing is stored. */
  async typing(callerId: string, conversationId: string): Promise<void> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    this.deps.events.publish({ type: 'typing.started', conversation_id: conversationId, user_id: callerId, member_ids: memberIds });
  }

  private async load(conversationId: string): Promise<Conversation> {
    const conversation = await this.deps.store.conversations.findById(conversationId);
    if (!conversation) throw notFound('Conversation');
    return conversation;
  }
}
