/**
 * Messages of the in-memory Store fake: a gapless seq per conversation assigned on append, a
 * unique message_id (a repeat returns the stored message and consumes no seq), history pages
 * and edit/delete that leave deleted messages alone. Each change is logged with the
 * conversation's next event_seq, which becomes the message's version. Messages carry their
 * reactions and mentions; a deleted message loses them. (Unread mention counts are the SQL
 * stores' alone: the fake keeps no marks.)
 */
import type { Message } from '@pneumatic/protocol';
import type { AppendResult, HistoryPage, HistoryPageJson, HistoryQuery, MessageMentions, MessageRef, MessageRepository, NewMessage } from '../../../src/domain/ports/repositories.js';
import { mentionColumns } from '../../../src/store/mention-marks.js';
import { cutAround } from '../../../src/store/repositories/history-around.js';
import { toMessage, type MemoryTables, type MessageRow } from './memory-tables.js';

export class InMemoryMessageRepository implements MessageRepository {
  constructor(private readonly tables: MemoryTables) {}

  async append(message: NewMessage): Promise<AppendResult> {
    const existing = this.tables.messages.get(message.message_id);
    if (existing) return { kind: 'existing', message: this.tables.message(existing) };
    const conversation = this.tables.conversation(message.conversation_id);
    this.tables.user(message.sender_id);
    conversation.last_seq += 1;
    // Stamped by the store, inside the write, as both real appenders do.
    const createdAt = new Date().toISOString();
    conversation.last_activity_at = createdAt;
    const version = this.tables.logEvent(message.conversation_id, 'message.created', message.sender_id, createdAt, { message_id: message.message_id });
    const { mentions, ...fields } = message;
    const row: MessageRow = { ...fields, seq: conversation.last_seq, created_at: createdAt, edited_at: null, deleted_at: null, version, ...mentionColumns(mentions) };
    this.tables.messages.set(row.message_id, row);
    return { kind: 'created', message: toMessage(row) };
  }

  async findById(messageId: string): Promise<Message | null> {
    const row = this.tables.messages.get(messageId);
    return row ? this.tables.message(row) : null;
  }

  /** Ascending pages: the newest `limit` (before a seq) or the oldest `limit` after a seq; with a viewer, the page's my_reactions. */
  async history(conversationId: string, query: HistoryQuery): Promise<HistoryPage> {
    const all = [...this.tables.messages.values()].filter((m) => m.conversation_id === conversationId).sort((a, b) => a.seq - b.seq);
    const page = (rows: MessageRow[], has_more: boolean): HistoryPage => {
      const messages = rows.map((row) => this.tables.message(row));
      return query.viewer === undefined ? { messages, has_more } : { messages, has_more, my_reactions: this.tables.myReactions(rows, query.viewer) };
    };
    if (query.around !== undefined) {
      // As the SQL stores read it: each side `limit + 1` rows, older ones newest first.
      const older = all.filter((m) => m.seq < query.around!).reverse().slice(0, query.limit + 1);
      const cut = cutAround(older, all.filter((m) => m.seq >= query.around!).slice(0, query.limit + 1), query.limit);
      const has = { has_more_before: cut.has_more_before, has_more_after: cut.has_more_after };
      return { ...page(cut.rows, cut.has_more_before || cut.has_more_after), ...has };
    }
    if (query.after !== undefined) {
      const newer = all.filter((m) => m.seq > query.after!);
      return page(newer.slice(0, query.limit), newer.length > query.limit);
    }
    const older = query.before === undefined ? all : all.filter((m) => m.seq < query.before!);
    return page(older.slice(Math.max(0, older.length - query.limit)), older.length > query.limit);
  }

  async historyJson(conversationId: string, query: HistoryQuery): Promise<HistoryPageJson> {
    const { messages, ...rest } = await this.history(conversationId, query);
    return { messages_json: JSON.stringify(messages), ...rest };
  }

  async edit(message: MessageRef, content: string, editedAt: string, actorId: string, mentions?: MessageMentions): Promise<Message | null> {
    const row = this.live(message);
    if (!row) return null;
    row.content = content;
    row.edited_at = editedAt;
    Object.assign(row, mentionColumns(mentions));
    row.version = this.tables.logEvent(row.conversation_id, 'message.edited', actorId, editedAt, { message_id: row.message_id });
    return this.tables.message(row);
  }

  async markDeleted(message: MessageRef, deletedAt: string, actorId: string): Promise<Message | null> {
    const row = this.live(message);
    if (!row) return null;
    row.content = '';
    row.deleted_at = deletedAt;
    Object.assign(row, mentionColumns(undefined));
    row.version = this.tables.logEvent(row.conversation_id, 'message.deleted', actorId, deletedAt, { message_id: row.message_id });
    // Its reactions and its pin go with it, as in the SQL stores' transaction.
    this.tables.reactions = this.tables.reactions.filter((r) => r.message_id !== row.message_id);
    this.tables.pins = this.tables.pins.filter((p) => p.message_id !== row.message_id);
    return this.tables.message(row);
  }

  async markDeletedMany(messages: readonly MessageRef[], deletedAt: string, actorId: string): Promise<Message[]> {
    const deleted: Message[] = [];
    // In seq order within a conversation, as the SQL stores delete them.
    const seqOf = (message: MessageRef) => this.tables.messages.get(message.message_id)?.seq ?? 0;
    const ordered = [...messages].sort((a, b) => a.conversation_id.localeCompare(b.conversation_id) || seqOf(a) - seqOf(b));
    for (const message of ordered) {
      const after = await this.markDeleted(message, deletedAt, actorId);
      if (after) deleted.push(after);
    }
    return deleted;
  }

  /** The message, when it exists in the referenced conversation and is not deleted. */
  private live(message: MessageRef): MessageRow | undefined {
    const row = this.tables.messages.get(message.message_id);
    return row && row.conversation_id === message.conversation_id && row.deleted_at === null ? row : undefined;
  }
}
