/** The latest message of each conversation (for list previews and ordering), from summaries and events. */
import type { Message } from '../types.js';
import { isOlder } from './message-window.js';

export class LastMessages {
  private readonly byConversation = new Map<string, Message>();

  /** A new (or newly known) message; true when it is now the latest. */
  offer(message: Message): boolean {
    const current = this.byConversation.get(message.conversation_id);
    if (current && current.seq > message.seq) return false;
    if (current === message || isOlder(message, current)) return false;
    this.byConversation.set(message.conversation_id, message);
    return true;
  }

  /** An edit or delete; true when it concerned the latest message. */
  update(message: Message): boolean {
    const current = this.byConversation.get(message.conversation_id);
    if (current?.seq !== message.seq || isOlder(message, current)) return false;
    this.byConversation.set(message.conversation_id, message);
    return true;
  }

  get(conversationId: string): Message | null {
    return this.byConversation.get(conversationId) ?? null;
  }

  forget(conversationId: string): void {
    this.byConversation.delete(conversationId);
  }
}
