/**
 * Conversations and members of the in-memory Store fake. Mirrors the SQL repository's rules:
 * creator as owner, idempotent adds, owner promotion when the last owner leaves (the
 * longest-standing member), read positions that only move forward and stop at last_seq; and
 * the change feed's: each change logged with the conversation's next event_seq, joins, leaves
 * and read moves counted in the user's user_seq.
 */
import type { Conversation, ConversationSummary, MemberRole } from '@pneumatic/protocol';
import type {
  ConversationPage,
  ConversationRepository,
  CreatedConversation,
  MemberAddition,
  MemberRemoval,
  MemberRoleChange,
  Membership,
} from '../../../src/domain/ports/repositories.js';
import { decodeCursor, encodeCursor } from '../../../src/store/conversation-cursor.js';
import { UNREAD_COUNT_CAP } from '../../../src/store/repositories/unread-counts.js';
import { ConstraintViolation, type ConversationRow, type MemoryTables } from './memory-tables.js';

export class InMemoryConversationRepository implements ConversationRepository {
  constructor(private readonly tables: MemoryTables) {}

  async create(input: { id: string; title: string; created_by: string; created_at: string; member_ids: readonly string[] }): Promise<CreatedConversation> {
    if (this.tables.conversations.has(input.id)) throw new ConstraintViolation(`duplicate conversation id ${input.id}`);
    const memberIds = [input.created_by, ...input.member_ids];
    for (const id of memberIds) this.tables.user(id);
    if (new Set(memberIds).size !== memberIds.length) throw new ConstraintViolation('duplicate member in one conversation');
    const { id, title, created_by, created_at } = input;
    this.tables.conversations.set(id, { id, title, created_by, created_at, last_seq: 0, last_activity_at: created_at, last_event_seq: 0, pruned_event_seq: 0 });
    memberIds.forEach((user_id, i) => {
      this.tables.members.push({ conversation_id: id, user_id, role: i === 0 ? 'owner' : 'member', joined_at: created_at, last_read_seq: 0 });
    });
    this.tables.logEvent(id, 'conversation.created', created_by, created_at);
    const user_seqs = Object.fromEntries(memberIds.map((userId) => [userId, this.tables.bumpUserSeq(userId)]));
    return { conversation: this.tables.toConversation(this.tables.conversation(id)), user_seqs };
  }

  async findById(id: string): Promise<Conversation | null> {
    const row = this.tables.conversations.get(id);
    return row ? this.tables.toConversation(row) : null;
  }

  async exists(id: string): Promise<boolean> {
    return this.tables.conversations.has(id);
  }

  async lastSeq(id: string): Promise<number | null> {
    return this.tables.conversations.get(id)?.last_seq ?? null;
  }

  async membership(conversationId: string, userId: string): Promise<Membership | null> {
    const row = this.tables.member(conversationId, userId);
    return row ? { role: row.role } : null;
  }

  async memberIds(conversationId: string): Promise<string[]> {
    return this.tables.membersOf(conversationId).map((m) => m.user_id);
  }

  async addMember(conversationId: string, userId: string, joinedAt: string, actorId: string): Promise<MemberAddition> {
    const conversation = this.tables.conversation(conversationId);
    this.tables.user(userId);
    const existing = this.tables.member(conversationId, userId);
    if (existing) return { added: false, member: this.tables.toMember(existing) };
    const row = { conversation_id: conversationId, user_id: userId, role: 'member' as const, joined_at: joinedAt, last_read_seq: 0 };
    this.tables.members.push(row);
    const event_seq = this.tables.logEvent(conversationId, 'member.added', actorId, joinedAt, { user_id: userId });
    const user_seq = this.tables.bumpUserSeq(userId);
    return { added: true, member: this.tables.toMember(row), conversation: this.tables.toConversation(conversation), event_seq, user_seq };
  }

  async removeMember(conversationId: string, userId: string, actorId: string, at: string): Promise<MemberRemoval | null> {
    const row = this.tables.member(conversationId, userId);
    if (!row) return null;
    this.tables.members.splice(this.tables.members.indexOf(row), 1);
    const event_seq = this.tables.logEvent(conversationId, 'member.removed', actorId, at, { user_id: userId });
    const user_seq = this.tables.bumpUserSeq(userId);
    // The membership's notification override goes with it, as in the SQL store.
    this.tables.conversationNotifications.delete(this.tables.notificationKey(conversationId, userId));
    const remaining = this.tables.membersOf(conversationId);
    const successor = remaining.find((m) => m.role === 'admin') ?? remaining[0];
    if (!successor || remaining.some((m) => m.role === 'owner')) return { event_seq, user_seq, promoted: null };
    const before = successor.role;
    successor.role = 'owner';
    // Automatic, so no actor; a conversation event only: the successor's user_seq stays.
    const promotedSeq = this.tables.logEvent(conversationId, 'member.updated', null, at, { user_id: successor.user_id });
    return { event_seq, user_seq, promoted: { member: this.tables.toMember(successor), event_seq: promotedSeq, before } };
  }

  async setRole(conversationId: string, userId: string, role: MemberRole, actorId: string, at: string): Promise<MemberRoleChange> {
    const row = this.tables.conversations.has(conversationId) ? this.tables.member(conversationId, userId) : undefined;
    if (!row) return null;
    if (row.role === role) return { outcome: 'unchanged', member: this.tables.toMember(row) };
    const before = row.role;
    if (before === 'owner' && !this.tables.membersOf(conversationId).some((m) => m !== row && m.role === 'owner')) return { outcome: 'last_owner' };
    row.role = role;
    const event_seq = this.tables.logEvent(conversationId, 'member.updated', actorId, at, { user_id: userId });
    return { outcome: 'changed', before, member: this.tables.toMember(row), event_seq };
  }

  async rename(conversationId: string, title: string, actorId: string, at: string): Promise<{ conversation: Conversation; event_seq: number | null } | null> {
    const row = this.tables.conversations.get(conversationId);
    if (!row) return null;
    if (row.title === title) return { conversation: this.tables.toConversation(row), event_seq: null };
    row.title = title;
    const event_seq = this.tables.logEvent(conversationId, 'conversation.updated', actorId, at);
    return { conversation: this.tables.toConversation(row), event_seq };
  }

  async lastEventSeqsForUser(userId: string): Promise<{ conversation_id: string; last_event_seq: number }[]> {
    return this.tables.members
      .filter((m) => m.user_id === userId)
      .map((m) => ({ conversation_id: m.conversation_id, last_event_seq: this.tables.conversation(m.conversation_id).last_event_seq }));
  }

  /** Most recent activity first, ties by id descending; the cursor is the SQL store's (activity, id) keyset. */
  async listForUser(userId: string, limit: number, cursor: string | undefined): Promise<ConversationPage> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor);
    const rows = this.tables.members
      .filter((m) => m.user_id === userId)
      .map((m) => this.tables.conversation(m.conversation_id))
      .filter((c) => !after || c.last_activity_at < after.activity || (c.last_activity_at === after.activity && c.id < after.id))
      .sort((a, b) => b.last_activity_at.localeCompare(a.last_activity_at) || b.id.localeCompare(a.id));
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      conversations: page.map((row) => this.summary(row, userId)),
      next_cursor: rows.length > limit && last ? encodeCursor({ activity: last.last_activity_at, id: last.id }) : null,
    };
  }

  async advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<{ seq: number; user_seq: number } | null> {
    const target = Math.min(seq, this.tables.conversations.get(conversationId)?.last_seq ?? 0);
    const row = this.tables.member(conversationId, userId);
    if (!row || row.last_read_seq >= target) return null;
    row.last_read_seq = target;
    return { seq: target, user_seq: this.tables.bumpUserSeq(userId) };
  }

  /** Unread: messages from others, after the caller's read position, not deleted; of the latest UNREAD_COUNT_CAP only. Mentions: those of them naming the caller or everyone. */
  private summary(row: ConversationRow, userId: string): ConversationSummary {
    const lastRead = this.tables.member(row.id, userId)?.last_read_seq ?? 0;
    const after = Math.max(lastRead, row.last_seq - UNREAD_COUNT_CAP);
    const messages = [...this.tables.messages.values()].filter((m) => m.conversation_id === row.id);
    const last = messages.find((m) => m.seq === row.last_seq);
    const unreadRows = messages.filter((m) => m.sender_id !== userId && m.seq > after && m.deleted_at === null);
    const capped = after > lastRead ? { unread_count_capped: true } : {};
    const unreadMentions = unreadRows.map((m) => this.tables.message(m)).filter((m) => m.mentions_all || m.mentions.includes(userId)).length;
    const last_message = last ? this.tables.message(last) : null;
    return { ...this.tables.toConversation(row), last_message, unread_count: unreadRows.length, ...capped, unread_mentions: unreadMentions };
  }
}
