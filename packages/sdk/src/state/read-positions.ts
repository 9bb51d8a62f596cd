/** Each member's last_read_seq per conversation ("seen by"), kept from member lists and `read` events. */
import type { Conversation } from '../types.js';

export class ReadPositions {
  private readonly byConversation = new Map<string, Map<string, number>>();

  /**
   * Seeds from a conversation's members (their last_read_seq). Positions only move forward;
   * returns the members whose moved (not those seen for the first time).
   */
  seed(conversation: Pick<Conversation, 'id' | 'members'>): Array<{ user_id: string; seq: number }> {
    const moved: Array<{ user_id: string; seq: number }> = [];
    for (const { user_id, last_read_seq: seq } of conversation.members) {
      const known = this.get(conversation.id, user_id) !== undefined;
      if (this.read(conversation.id, user_id, seq) && known) moved.push({ user_id, seq });
    }
    return moved;
  }

  /** True when the position moved. */
  read(conversationId: string, userId: string, seq: number): boolean {
    let positions = this.byConversation.get(conversationId);
    if (!positions) this.byConversation.set(conversationId, (positions = new Map()));
    if (seq <= (positions.get(userId) ?? -1)) return false;
    positions.set(userId, seq);
    return true;
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
