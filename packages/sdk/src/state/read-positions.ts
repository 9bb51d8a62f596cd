/** Each member's last_read_seq per conversation ("seen by"), kept from member lists and `read` events. */
import type { Conversation } from '../types.js';

export class ReadPositions {
  private readonly byConversation = new Map<string, Map<string, number>>();

  /** Seeds from a conversation's members (their last_read_seq). Positions only move forward. */
  seed(conversation: Pick<Conversation, 'id' | 'members'>): void {
    for (const member of conversation.members) this.read(conversation.id, member.user_id, member.last_read_seq);
  }

  read(conversationId: string, userId: string, seq: number): void {
    let positions = this.byConversation.get(conversationId);
    if (!positions) this.byConversation.set(conversationId, (positions = new Map()));
    if (seq > (positions.get(userId) ?? -1)) positions.set(userId, seq);
  }

  get(conversationId: string, userId: string): number | undefined {
    return this.byConversation.get(conversationId)?.get(userId);
  }

  removeMember(conversationId: string, userId: string): void {
    this.byConversation.get(conversationId)?.delete(userId);
  }

  /** user_id → last_read_seq for everyone but `exceptUserId`. */
  positions(conversationId: string, exceptUserId?: string | null): Map<string, number> {
    const all = this.byConversation.get(conversationId) ?? new Map<string, number>();
    return new Map([...all].filter(([id]) => id !== exceptUserId));
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }
}
