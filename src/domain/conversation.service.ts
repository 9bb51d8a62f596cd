import { randomUUID } from 'node:crypto';
import type { Conversation, CreateConversationBody, Member, MemberRole } from '@pneumatic/protocol';
import { nowIso } from './clock.js';
import { requireMayChangeRoles, requireMayRemove, requireMayRename, requireMembership } from './conversation.policy.js';
import { requireNotBlockedBy } from './blocks/block.policy.js';
import { AppError, notFound } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { ConversationPage, Store } from './ports/repositories.js';

export interface ConversationServiceDeps {
  store: Store;
  events: EventPublisher;
}

/** A deactivated account is put into no conversation (403 account_deactivated); one query. */
async function requireActive(store: Store, userIds: readonly string[]): Promise<void> {
  const deactivated = await store.users.deactivatedIds(userIds);
  if (deactivated.length > 0) throw new AppError('account_deactivated', `The account ${deactivated[0]} is deactivated: it cannot be added to conversations.`);
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
    await requireActive(this.deps.store, memberIds);
    await requireNotBlockedBy(this.deps.store, callerId, memberIds);
    const { conversation, user_seqs } = await this.deps.store.conversations.create({
      id: randomUUID(),
      title: body.title,
      created_by: callerId,
      created_at: nowIso(),
      member_ids: memberIds,
    });
    this.deps.events.publish({ type: 'conversation.created', conversation, user_seqs });
    return conversation;
  }

  /** Owners and admins may rename; the same title changes nothing and announces nothing. */
  async rename(callerId: string, conversationId: string, title: string): Promise<Conversation> {
    requireMayRename(await requireMembership(this.deps.store, conversationId, callerId, true));
    const result = await this.deps.store.conversations.rename(conversationId, title, callerId, nowIso());
    if (!result) throw notFound('Conversation');
    const { conversation, event_seq } = result;
    if (event_seq !== null) {
      const member_ids = conversation.members.map((m) => m.user_id);
      this.deps.events.publish({ type: 'conversation.updated', conversation, event_seq, member_ids });
    }
    return conversation;
  }

  async get(callerId: string, conversationId: string): Promise<Conversation> {
    await requireMembership(this.deps.store, conversationId, callerId);
    return this.load(conversationId);
  }

  list(callerId: string, limit: number, cursor: string | undefined): Promise<ConversationPage> {
    return this.deps.store.conversations.listForUser(callerId, limit, cursor);
  }

  /**
   * Any member may add, except someone who blocks them (403 blocked); adding an existing member
   * changes nothing and reports `added: false`.
   */
  async addMember(callerId: string, conversationId: string, userId: string): Promise<{ member: Member; added: boolean }> {
    await requireMembership(this.deps.store, conversationId, callerId);
    if (!(await this.deps.store.users.findById(userId))) throw new AppError('user_not_found', 'No user has this user_id.');
    await requireActive(this.deps.store, [userId]);
    await requireNotBlockedBy(this.deps.store, callerId, [userId]);
    const result = await this.deps.store.conversations.addMember(conversationId, userId, nowIso(), callerId);
    if (result.added) {
      const { conversation, event_seq, user_seq } = result;
      this.deps.events.publish({ type: 'member.added', conversation, user_id: userId, event_seq, user_seq });
    }
    return { member: result.member, added: result.added };
  }

  async removeMember(callerId: string, conversationId: string, userId: string): Promise<void> {
    const removingOther = callerId !== userId;
    const caller = await requireMembership(this.deps.store, conversationId, callerId, removingOther);
    const target = removingOther ? await this.deps.store.conversations.membership(conversationId, userId, true) : null;
    requireMayRemove(caller, callerId, userId, target);
    await this.remove(callerId, conversationId, userId);
  }

  /**
   * An owner sets a member's role (docs/API.md, "Conversation roles"): announced as
   * member.updated and written to the audit log; the same role changes nothing.
   */
  async changeRole(actor: { userId: string; requestId: string | null }, conversationId: string, userId: string, role: MemberRole): Promise<Member> {
    requireMayChangeRoles(await requireMembership(this.deps.store, conversationId, actor.userId, true));
    const change = await this.deps.store.conversations.setRole(conversationId, userId, role, actor.userId, nowIso());
    if (change === null) throw notFound('Member');
    if (change.outcome === 'last_owner') throw new AppError('last_owner', 'A conversation keeps at least one owner: make another member owner first.');
    if (change.outcome === 'unchanged') return change.member;
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    this.deps.events.publish({ type: 'member.updated', conversation_id: conversationId, member: change.member, member_ids: memberIds, event_seq: change.event_seq });
    await this.audit(actor, conversationId, userId, change.before, role);
    return change.member;
  }

  /** A conversation role change in the server's audit log (docs/API.md, "The audit log"); null actor when automatic. */
  private async audit(actor: { userId: string; requestId: string | null } | null, conversationId: string, userId: string, before: MemberRole, after: MemberRole): Promise<void> {
    await this.deps.store.auditLog.append({
      id: randomUUID(),
      at: nowIso(),
      actor_id: actor?.userId ?? null,
      action: 'member.role_changed',
      target_type: 'user',
      target_id: userId,
      conversation_id: conversationId,
      before: { role: before },
      after: { role: after },
      request_id: actor?.requestId ?? null,
    });
  }

  /** A server admin's removal of anyone from any conversation (admin.service.ts checks the admin). */
  async removeMemberAsAdmin(adminId: string, conversationId: string, userId: string): Promise<void> {
    if (!(await this.deps.store.conversations.exists(conversationId))) throw notFound('Conversation');
    await this.remove(adminId, conversationId, userId);
  }

  private async remove(actorId: string, conversationId: string, userId: string): Promise<void> {
    // Read before removing: the removed user is told too.
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    const removal = await this.deps.store.conversations.removeMember(conversationId, userId, actorId, nowIso());
    if (!removal) throw notFound('Member');
    const { event_seq, user_seq, promoted } = removal;
    this.deps.events.publish({ type: 'member.removed', conversation_id: conversationId, user_id: userId, member_ids: memberIds, event_seq, user_seq });
    if (promoted) {
      const remaining = memberIds.filter((id) => id !== userId);
      this.deps.events.publish({ type: 'member.updated', conversation_id: conversationId, member: promoted.member, member_ids: remaining, event_seq: promoted.event_seq });
      await this.audit(null, conversationId, promoted.member.user_id, promoted.before, 'owner');
    }
  }

  /** `last_read_seq` only moves forward; a seq past the end counts as the end. */
  async markRead(callerId: string, conversationId: string, seq: number): Promise<void> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const moved = await this.deps.store.conversations.advanceReadSeq(conversationId, callerId, seq);
    if (moved === null) return;
    const memberIds = await this.deps.store.conversations.memberIds(conversationId);
    this.deps.events.publish({
      type: 'read.advanced',
      conversation_id: conversationId,
      user_id: callerId,
      seq: moved.seq,
      user_seq: moved.user_seq,
      member_ids: memberIds,
    });
  }

  /** Checks membership for a socket `join` and reports where the conversation stands. */
  async join(callerId: string, conversationId: string): Promise<{ last_seq: number; last_event_seq: number }> {
    await requireMembership(this.deps.store, conversationId, callerId);
    const last_event_seq = (await this.deps.store.changeFeed.position(conversationId))?.last_event_seq ?? 0;
    return { last_seq: (await this.deps.store.conversations.lastSeq(conversationId)) ?? 0, last_event_seq };
  }

  /** Where each of the user's conversations stands in its change feed: the baseline for ordering their live events. */
  positions(userId: string): Promise<{ conversation_id: string; last_event_seq: number }[]> {
    return this.deps.store.conversations.lastEventSeqsForUser(userId);
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
