/**
 * Conversations and members of the in-memory Store fake. Mirrors the SQL repository's rules:
 * creator as owner, idempotent adds, owner promotion when the last owner leaves (the
 * longest-standing member), read positions that only move forward and stop at last_seq.
 */
import type { Conversation, ConversationSummary, Member } from '@pneumatic/protocol';
import type { ConversationPage, ConversationRepository, Membership } from '../../../src/domain/ports/repositories.js';
import { decodeCursor, encodeCursor } from '../../../src/store/conversation-cursor.js';
import { ConstraintViolation, toMessage, type ConversationRow, type MemoryTables } from './memory-tables.js';

export class InMemoryConversationRepository implements ConversationRepository {
  constructor(private readonly tables: MemoryTables) {}

  async create(input: { id: string; title: string; created_by: string; created_at: string; member_ids: readonly string[] }): Promise<Conversation> {
    if (this.tables.conversations.has(input.id)) throw new ConstraintViolation(`duplicate conversation id ${input.id}`);
    const memberIds = [input.created_by, ...input.member_ids];
    for (const id of memberIds) this.tables.user(id);
    if (new Set(memberIds).size !== memberIds.length) throw new ConstraintViolation('duplicate member in one conversation');
    const { id, title, created_by, created_at } = input;
    this.tables.conversations.set(id, { id, title, created_by, created_at, last_seq: 0, last_activity_at: created_at });
    memberIds.forEach((user_id, i) => {
      this.tables.members.push({ conversation_id: id, user_id, role: i === 0 ? 'owner' : 'member', joined_at: created_at, last_read_seq: 0 });
    });
    return this.conversation(this.tables.conversation(id));
  }

  async findById(id: string): Promise<Conversation | null> {
    const row = this.tables.conversations.get(id);
    return row ? this.conversation(row) : null;
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

  async addMember(conversationId: string, userId: string, joinedAt: string): Promise<{ member: Member; added: boolean }> {
    this.tables.conversation(conversationId);
    this.tables.user(userId);
    let row = this.tables.member(conversationId, userId);
    const added = !row;
    if (!row) this.tables.members.push((row = { conversation_id: conversationId, user_id: userId, role: 'member', joined_at: joinedAt, last_read_seq: 0 }));
    return { member: this.tables.toMember(row), added };
  }

  async removeMember(conversationId: string, userId: string): Promise<boolean> {
    const row = this.tables.member(conversationId, userId);
    if (!row) return false;
    this.tables.members.splice(this.tables.members.indexOf(row), 1);
    const remaining = this.tables.membersOf(conversationId);
    const successor = remaining[0];
    if (successor && !remaining.some((m) => m.role === 'owner')) successor.role = 'owner';
    return true;
  }

  async lastSeqsForUser(userId: string): Promise<{ conversation_id: string; last_seq: number }[]> {
    return this.tables.members
      .filter((m) => m.user_id === userId)
      .map((m) => ({ conversation_id: m.conversation_id, last_seq: this.tables.conversation(m.conversation_id).last_seq }));
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

  async advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<number | null> {
    const target = Math.min(seq, this.tables.conversations.get(conversationId)?.last_seq ?? 0);
    const row = this.tables.member(conversationId, userId);
    if (!row || row.last_read_seq >= target) return null;
    row.last_read_seq = target;
    return target;
  }

  private conversation(row: ConversationRow): Conversation {
    const { id, title, created_at, created_by, last_seq } = row;
    return { id, title, created_at, created_by, last_seq, members: this.tables.membersOf(id).map((m) => this.tables.toMember(m)) };
  }

  /** Unread: messages from others, after the caller's read position, not deleted. */
  private summary(row: ConversationRow, userId: string): ConversationSummary {
    const lastRead = this.tables.member(row.id, userId)?.last_read_seq ?? 0;
    const messages = [...this.tables.messages.values()].filter((m) => m.conversation_id === row.id);
    const last = messages.find((m) => m.seq === row.last_seq);
    const unread = messages.filter((m) => m.sender_id !== userId && m.seq > lastRead && m.deleted_at === null).length;
    return { ...this.conversation(row), last_message: last ? toMessage(last) : null, unread_count: unread };
  }
}
