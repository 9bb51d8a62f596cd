import type {
  ConversationPage,
  ConversationRepository,
  CreatedConversation,
  MemberAddition,
  MemberRemoval,
  Membership,
} from '../../domain/ports/repositories.js';
import type { Conversation, Member } from '@pneumatic/protocol';
import { BoundedMap } from './bounded-map.js';

/**
 * Keeps each conversation's members in memory, so a send costs no membership query. Only for a
 * single process: every membership change goes through this object, which updates the cache in
 * the same step, so it is never stale. (Several processes would need cross-process invalidation,
 * which cannot be instantaneous; they read the database instead.)
 */
export class CachedConversationRepository implements ConversationRepository {
  private readonly members = new BoundedMap<string, Map<string, Membership>>(20_000);
  /** Bumped by every membership change, so a load that raced with one is not cached. */
  private changes = 0;

  constructor(private readonly inner: ConversationRepository) {}

  async create(input: Parameters<ConversationRepository['create']>[0]): Promise<CreatedConversation> {
    const created = await this.inner.create(input);
    this.remember(created.conversation.id, created.conversation.members);
    return created;
  }

  async findById(id: string): Promise<Conversation | null> {
    const before = this.changes;
    const conversation = await this.inner.findById(id);
    if (conversation && before === this.changes) this.remember(conversation.id, conversation.members);
    return conversation;
  }

  exists(id: string): Promise<boolean> {
    return this.inner.exists(id);
  }

  lastSeq(id: string): Promise<number | null> {
    return this.inner.lastSeq(id);
  }

  async membership(conversationId: string, userId: string): Promise<Membership | null> {
    return (await this.load(conversationId)).get(userId) ?? null;
  }

  async memberIds(conversationId: string): Promise<string[]> {
    return [...(await this.load(conversationId)).keys()];
  }

  async addMember(conversationId: string, userId: string, joinedAt: string, actorId: string): Promise<MemberAddition> {
    this.changes++;
    const result = await this.inner.addMember(conversationId, userId, joinedAt, actorId);
    this.members.delete(conversationId);
    return result;
  }

  async removeMember(conversationId: string, userId: string, actorId: string, at: string): Promise<MemberRemoval | null> {
    // Forget first: from this point on, nothing may treat the user as a member.
    this.changes++;
    this.members.delete(conversationId);
    const removed = await this.inner.removeMember(conversationId, userId, actorId, at);
    this.members.delete(conversationId);
    return removed;
  }

  async rename(conversationId: string, title: string, actorId: string, at: string): Promise<{ conversation: Conversation; event_seq: number | null } | null> {
    const before = this.changes;
    const result = await this.inner.rename(conversationId, title, actorId, at);
    if (result && before === this.changes) this.remember(conversationId, result.conversation.members);
    return result;
  }

  lastEventSeqsForUser(userId: string): Promise<{ conversation_id: string; last_event_seq: number }[]> {
    return this.inner.lastEventSeqsForUser(userId);
  }

  listForUser(userId: string, limit: number, cursor: string | undefined): Promise<ConversationPage> {
    return this.inner.listForUser(userId, limit, cursor);
  }

  advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<{ seq: number; user_seq: number } | null> {
    return this.inner.advanceReadSeq(conversationId, userId, seq);
  }

  private async load(conversationId: string): Promise<Map<string, Membership>> {
    const cached = this.members.get(conversationId);
    if (cached) return cached;
    const before = this.changes;
    const conversation = await this.inner.findById(conversationId);
    const members = new Map<string, Membership>();
    for (const m of conversation?.members ?? []) members.set(m.user_id, { role: m.role });
    // An unknown conversation is not cached: it may be created by the next request.
    if (conversation && before === this.changes) this.members.set(conversationId, members);
    return members;
  }

  private remember(conversationId: string, list: Member[]): void {
    this.members.set(conversationId, new Map(list.map((m) => [m.user_id, { role: m.role }])));
  }
}
