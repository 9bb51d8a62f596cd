/**
 * Reactions of the in-memory Store fake, with the SQL store's rules: one row per (message,
 * emoji, user); a change that changes nothing logs nothing and takes no event_seq; a change is
 * the conversation's next event and the message's new version; at most `maxDistinct` emoji; none
 * on a deleted message.
 */
import type { ReactionUsers } from '@pneumatic/protocol';
import type { ReactionInput, ReactionOutcome, ReactionRepository } from '../../../src/domain/ports/repositories.js';
import { byCodePoint } from '../../../src/store/repositories/reaction-reads.js';
import type { MemoryTables, ReactionRow } from './memory-tables.js';

export class InMemoryReactionRepository implements ReactionRepository {
  constructor(private readonly tables: MemoryTables) {}

  async add(input: ReactionInput, maxDistinct: number): Promise<ReactionOutcome> {
    if (!this.live(input)) return { kind: 'deleted' };
    const onMessage = this.tables.reactions.filter((r) => r.message_id === input.message.message_id);
    if (onMessage.some((r) => this.same(r, input))) return { kind: 'unchanged' };
    const emoji = new Set(onMessage.map((r) => r.emoji));
    if (!emoji.has(input.emoji) && emoji.size >= maxDistinct) return { kind: 'too_many' };
    this.tables.user(input.user_id);
    this.tables.reactions.push({ message_id: input.message.message_id, user_id: input.user_id, emoji: input.emoji, created_at: input.at });
    return this.logged(input, 'reaction.added');
  }

  async remove(input: ReactionInput): Promise<ReactionOutcome> {
    if (!this.live(input)) return { kind: 'deleted' };
    const before = this.tables.reactions.length;
    this.tables.reactions = this.tables.reactions.filter((r) => !this.same(r, input));
    if (this.tables.reactions.length === before) return { kind: 'unchanged' };
    return this.logged(input, 'reaction.removed');
  }

  async list(messageId: string): Promise<ReactionUsers[]> {
    const rows = this.tables.reactions
      .filter((r) => r.message_id === messageId)
      .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : byCodePoint(a.emoji, b.emoji) || (a.user_id < b.user_id ? -1 : 1)));
    const groups = new Map<string, ReactionUsers>();
    for (const row of rows) {
      const group = groups.get(row.emoji) ?? { emoji: row.emoji, count: 0, user_ids: [] };
      group.count += 1;
      group.user_ids.push(row.user_id);
      groups.set(row.emoji, group);
    }
    return [...groups.values()];
  }

  private same(row: ReactionRow, input: ReactionInput): boolean {
    return row.message_id === input.message.message_id && row.emoji === input.emoji && row.user_id === input.user_id;
  }

  private live(input: ReactionInput): boolean {
    const row = this.tables.messages.get(input.message.message_id);
    return row !== undefined && row.conversation_id === input.message.conversation_id && row.deleted_at === null;
  }

  private logged(input: ReactionInput, type: 'reaction.added' | 'reaction.removed'): ReactionOutcome {
    const { message_id, conversation_id } = input.message;
    const eventSeq = this.tables.logEvent(conversation_id, type, input.user_id, input.at, { message_id, user_id: input.user_id, emoji: input.emoji });
    this.tables.messages.get(message_id)!.version = eventSeq;
    const count = this.tables.reactions.filter((r) => r.message_id === message_id && r.emoji === input.emoji).length;
    return { kind: 'changed', event_seq: eventSeq, count };
  }
}
