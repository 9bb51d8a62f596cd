/**
 * Reads of the change feed in the in-memory Store fake: positions, the event log with the
 * current state of what each event changed, read positions, snapshots and compaction by age.
 */
import type { ConversationEvent, ConversationSnapshot, ReadPosition } from '@pneumatic/protocol';
import type { ChangeFeedRepository, EventsAfter, FeedPosition } from '../../../src/domain/ports/repositories.js';
import type { EventRow, MemoryTables } from './memory-tables.js';

export class InMemoryChangeFeedRepository implements ChangeFeedRepository {
  constructor(private readonly tables: MemoryTables) {}

  async positionsForUser(userId: string): Promise<Map<string, FeedPosition>> {
    const positions = new Map<string, FeedPosition>();
    for (const m of this.tables.members.filter((row) => row.user_id === userId)) {
      const { last_event_seq, pruned_event_seq } = this.tables.conversation(m.conversation_id);
      positions.set(m.conversation_id, { last_event_seq, pruned_event_seq });
    }
    return positions;
  }

  async position(conversationId: string): Promise<FeedPosition | null> {
    const row = this.tables.conversations.get(conversationId);
    return row ? { last_event_seq: row.last_event_seq, pruned_event_seq: row.pruned_event_seq } : null;
  }

  async eventsAfter(conversationId: string, after: number, limit: number): Promise<EventsAfter> {
    const later = this.tables.events
      .filter((e) => e.conversation_id === conversationId && e.event_seq > after)
      .sort((a, b) => a.event_seq - b.event_seq);
    return { events: later.slice(0, limit).map((e) => this.toEvent(e)), has_more: later.length > limit };
  }

  async eventsAfterEach(positions: ReadonlyArray<readonly [string, number]>, limit: number): Promise<Map<string, EventsAfter>> {
    const pages = new Map<string, EventsAfter>();
    for (const [conversationId, after] of positions) pages.set(conversationId, await this.eventsAfter(conversationId, after, limit));
    return pages;
  }

  /** In join order; a conversation without members (or unknown) maps to an empty list. */
  async readPositions(conversationIds: readonly string[]): Promise<Map<string, ReadPosition[]>> {
    return new Map(
      conversationIds.map((id) => [id, this.tables.membersOf(id).map((m) => ({ user_id: m.user_id, last_read_seq: m.last_read_seq }))]),
    );
  }

  async userSeq(userId: string): Promise<number> {
    return this.tables.users.get(userId)?.last_user_seq ?? 0;
  }

  async snapshot(conversationId: string, messagesLimit: number, viewerId?: string): Promise<ConversationSnapshot | null> {
    const row = this.tables.conversations.get(conversationId);
    if (!row) return null;
    const all = [...this.tables.messages.values()].filter((m) => m.conversation_id === conversationId).sort((a, b) => a.seq - b.seq);
    const latest = messagesLimit > 0 ? all.slice(-messagesLimit) : [];
    const mine = viewerId === undefined ? {} : this.tables.myReactions(latest, viewerId);
    const snapshot = {
      conversation: this.tables.toConversation(row),
      messages: latest.map((m) => this.tables.message(m)),
      has_more_messages: all.length > latest.length,
      pins: this.tables.pinRefs(conversationId),
    };
    return Object.keys(mine).length > 0 ? { ...snapshot, my_reactions: mine } : snapshot;
  }

  /** From the messages themselves (the fake keeps no marks): of others, not deleted, naming the user or everyone. */
  async unreadMentions(userId: string, conversation: { id: string; last_seq: number; last_read_seq: number }): Promise<number> {
    return [...this.tables.messages.values()].filter((m) => {
      if (m.conversation_id !== conversation.id || m.seq <= conversation.last_read_seq || m.seq > conversation.last_seq) return false;
      if (m.sender_id === userId || m.deleted_at !== null) return false;
      const message = this.tables.message(m);
      return message.mentions_all || message.mentions.includes(userId);
    }).length;
  }

  /**
   * Per conversation, removes every event up to the highest event_seq dated before the cutoff (as
   * the SQL store does), so the kept log is always exactly the events after pruned_event_seq.
   * Timestamps are ISO 8601 UTC with milliseconds, so comparing the strings compares the instants.
   */
  async compact(cutoff: string): Promise<number> {
    const through = new Map<string, number>();
    for (const e of this.tables.events.filter((row) => row.created_at < cutoff)) {
      through.set(e.conversation_id, Math.max(through.get(e.conversation_id) ?? 0, e.event_seq));
    }
    for (const [id, seq] of through) {
      const conversation = this.tables.conversation(id);
      conversation.pruned_event_seq = Math.max(conversation.pruned_event_seq, seq);
    }
    const before = this.tables.events.length;
    this.tables.events = this.tables.events.filter((e) => e.event_seq > (through.get(e.conversation_id) ?? 0));
    return before - this.tables.events.length;
  }

  /** The event with the current state of what it changed (docs/API.md, "Events"). */
  private toEvent(row: EventRow): ConversationEvent {
    const head = { event_seq: row.event_seq, conversation_id: row.conversation_id, actor_id: row.actor_id, created_at: row.created_at };
    switch (row.type) {
      case 'conversation.created':
      case 'conversation.updated':
        return { ...head, type: row.type, conversation: this.tables.toConversation(this.tables.conversation(row.conversation_id)) };
      case 'message.created':
      case 'message.edited':
      case 'message.deleted':
      case 'thread.updated': {
        const message = this.tables.messages.get(row.message_id ?? '');
        if (!message) throw new Error(`event ${row.event_seq} names no stored message`);
        return { ...head, type: row.type, message: this.tables.message(message) };
      }
      case 'reaction.added':
      case 'reaction.removed': {
        const messageId = row.message_id ?? '';
        const emoji = row.emoji ?? '';
        const count = this.tables.reactions.filter((r) => r.message_id === messageId && r.emoji === emoji).length;
        return { ...head, type: row.type, message_id: messageId, emoji, user_id: row.user_id ?? '', count };
      }
      case 'message.pinned':
      case 'message.unpinned':
        return { ...head, type: row.type, message_id: row.message_id ?? '', user_id: row.user_id ?? '', at: row.created_at };
      case 'member.added':
      case 'member.removed':
      case 'member.updated': {
        const userId = row.user_id ?? '';
        const member = this.tables.member(row.conversation_id, userId);
        return { ...head, type: row.type, user_id: userId, member: member ? this.tables.toMember(member) : null };
      }
      case 'messages.expired':
        throw new Error('the in-memory tables keep no retention');
    }
  }
}
