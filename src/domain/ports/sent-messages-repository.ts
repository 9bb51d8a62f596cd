import type { Message } from '@pneumatic/protocol';

/** A user's own messages, conversation by conversation (docs/API.md, "Your data"). */
export interface SentMessagesRepository {
  /** The user's messages in the conversation with `seq` above `afterSeq`, ascending, at most `limit`. */
  sentBy(userId: string, conversationId: string, afterSeq: number, limit: number): Promise<Message[]>;
}
