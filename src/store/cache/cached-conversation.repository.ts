import type {
  ConversationPage,
  ConversationRepository,
  CreatedConversation,
  MemberAddition,
  MemberRemoval,
  MemberRoleChange,
  Membership,
} from '../../domain/ports/repositories.js';
import type { Conversation, Member, MemberRole } from '@pneumatic/protocol';
import { BoundedMap } from './bounded-map.js';
import type { CacheLink, LinkedCache } from './cache-link.js';

const KEY_PREFIX = 'members:';

/**
 * Keeps each conversation's members in memory, so a send costs no membership query. In a single
 * process every membership change goes through this object, which updates the cache in the same
 * step, so it is never stale. With several processes (`link`), each announces the conversations
 * whose members it changed and forgets those the others announce (see CacheLink).
 */
export class CachedConversationRepository implements ConversationRepository, LinkedCache {
  private readonly members: BoundedMap<string, Map<string, Membership>>;
  /** Bumped by every membership change, so a load that raced with one is not cached. */
  private changes = 0;

  constructor(
    private readonly inner: ConversationRepository,
    private readonly link: CacheLink | null = null,
  ) {
    this.members = new BoundedMap(20_000, link?.maxAgeMs);
    link?.register(this);
  }

  forget(keys: readonly string[]): void {
    for (const key of keys) {
      if (!key.startsWith(KEY_PREFIX)) continue;
      this.changes++;
      this.members.delete(key.slice(KEY_PREFIX.length));
    }
  }

  forgetAll(): void {
    this.changes++;
    this.members.clear();
  }

  async create(input: Parameters<ConversationRepository['create']>[0]): Promise<CreatedConversation> {
    const created = await this.inner.create(input);
    if (this.usable()) this.remember(created.conversation.id, created.conversation.members);
    return created;
  }

  async findById(id: string): Promise<Conversation | null> {
    const before = this.changes;
    const conversation = await this.inner.findById(id);
    if (conversation && before === this.changes && this.usable()) this.remember(conversation.id, conversation.members);
    return conversation;
  }

  exists(id: string): Promise<boolean> {
    return this.inner.exists(id);
  }

  lastSeq(id: string): Promise<number | null> {
    return this.inner.lastSeq(id);
  }

  async membership(conversationId: string, userId: string, fresh = false): Promise<Membership | null> {
    // Fresh matters with several processes only: in one, every change goes through this cache.
    if (fresh && this.link !== null) return this.inner.membership(conversationId, userId);
    return (await this.loadWith(conversationId, userId)).get(userId) ?? null;
  }

  async memberIds(conversationId: string, caller?: string): Promise<string[]> {
    return [...(await (caller === undefined ? this.load(conversationId) : this.loadWith(conversationId, caller))).keys()];
  }

  async addMember(conversationId: string, userId: string, joinedAt: string, actorId: string): Promise<MemberAddition> {
    this.changes++;
    const result = await this.inner.addMember(conversationId, userId, joinedAt, actorId);
    this.members.delete(conversationId);
    if (result.added) this.link?.announce([KEY_PREFIX + conversationId], conversationId);
    return result;
  }

  async removeMember(conversationId: string, userId: string, actorId: string, at: string): Promise<MemberRemoval | null> {
    // Forget first: from this point on, nothing may treat the user as a member.
    this.changes++;
    this.members.delete(conversationId);
    const removed = await this.inner.removeMember(conversationId, userId, actorId, at);
    this.members.delete(conversationId);
    if (removed) this.link?.announce([KEY_PREFIX + conversationId], conversationId);
    return removed;
  }

  async setRole(conversationId: string, userId: string, role: MemberRole, actorId: string, at: string): Promise<MemberRoleChange> {
    this.changes++;
    this.members.delete(conversationId);
    const change = await this.inner.setRole(conversationId, userId, role, actorId, at);
    this.members.delete(conversationId);
    if (change?.outcome === 'changed') this.link?.announce([KEY_PREFIX + conversationId], conversationId);
    return change;
  }

  async rename(conversationId: string, title: string, actorId: string, at: string): Promise<{ conversation: Conversation; event_seq: number | null } | null> {
    const before = this.changes;
    const result = await this.inner.rename(conversationId, title, actorId, at);
    if (result && before === this.changes && this.usable()) this.remember(conversationId, result.conversation.members);
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

  /** Whether entries may be served and stored now: always in one process; with several, while the bus is up. */
  private usable(): boolean {
    return this.link === null || this.link.usable();
  }

  /**
   * The members, read fresh when a shared cache's list leaves `userId` out. Another process's
   * announcement can be lost without the bus noticing (Redis pub/sub delivers at most once), and
   * a missed join would refuse a member for up to `maxAgeMs`; a refusal is rare, so confirming it
   * costs one query where it happens. (A missed removal is the race CacheLink describes.)
   */
  private async loadWith(conversationId: string, userId: string): Promise<Map<string, Membership>> {
    const members = await this.load(conversationId);
    if (members.has(userId) || this.link === null) return members;
    return this.load(conversationId, true);
  }

  private async load(conversationId: string, fresh = false): Promise<Map<string, Membership>> {
    const usable = this.usable();
    const cached = usable && !fresh ? this.members.get(conversationId) : undefined;
    if (cached) return cached;
    const before = this.changes;
    const conversation = await this.inner.findById(conversationId);
    const members = new Map<string, Membership>();
    for (const m of conversation?.members ?? []) members.set(m.user_id, { role: m.role });
    // An unknown conversation is not cached: it may be created by the next request.
    if (conversation && before === this.changes && usable) this.members.set(conversationId, members);
    return members;
  }

  private remember(conversationId: string, list: Member[]): void {
    this.members.set(conversationId, new Map(list.map((m) => [m.user_id, { role: m.role }])));
  }
}
