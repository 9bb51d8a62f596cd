/**
 * One shape for a conversation's change, whether it came from the log (`GET …/events`,
 * `POST /sync`) or live as a frame (docs/API.md, "Live frames carry their position"), so the
 * sequencer and the state apply both the same way.
 */
import type { Conversation, Member, Message, ServerFrame } from '../types.js';

interface Head {
  conversation_id: string;
  event_seq: number;
}

export type FeedEvent =
  | (Head & {
      type: 'conversation.created' | 'conversation.updated';
      conversation: Conversation;
      /** On a live creation: your user_seq it moved (it is a conversation you joined). */
      user_seq?: number;
    })
  | (Head & { type: 'message.created' | 'message.edited' | 'message.deleted' | 'thread.updated'; message: Message })
  | (Head & {
      type: 'member.added' | 'member.removed' | 'member.updated';
      user_id: string;
      /** The member as it is now (log) or right after the change (live); null when no longer one. */
      member: Member | null;
      /** Live `member.added` frames carry the whole conversation. */
      conversation?: Conversation;
    })
  | (Head & { type: 'reaction.added' | 'reaction.removed'; message_id: string; emoji: string; user_id: string; count: number })
  /** `user_id` pinned or unpinned the message at `at`. */
  | (Head & { type: 'message.pinned' | 'message.unpinned'; message_id: string; user_id: string; at: string })
  /** Retention deleted every message at or below `through_seq`. */
  | (Head & { type: 'messages.expired'; through_seq: number });

/** The event a live frame stands for; null for frames that are not conversation events. */
export function feedEventOf(frame: ServerFrame): FeedEvent | null {
  switch (frame.type) {
    case 'message':
      return { type: 'message.created', conversation_id: frame.conversation_id, event_seq: frame.event_seq, message: frame.message };
    case 'message.updated': {
      const type = frame.message.deleted ? 'message.deleted' : 'message.edited';
      return { type, conversation_id: frame.conversation_id, event_seq: frame.event_seq, message: frame.message };
    }
    case 'member.added': {
      const { conversation_id, event_seq, user_id, conversation } = frame;
      // user_id null: the conversation was just created, with the recipient in it.
      if (user_id === null) return { type: 'conversation.created', conversation_id, event_seq, conversation, user_seq: frame.user_seq };
      const member = conversation.members.find((m) => m.user_id === user_id) ?? null;
      return { type: 'member.added', conversation_id, event_seq, user_id, member, conversation };
    }
    case 'member.removed':
      return { type: 'member.removed', conversation_id: frame.conversation_id, event_seq: frame.event_seq, user_id: frame.user_id, member: null };
    case 'member.updated':
      return { type: 'member.updated', conversation_id: frame.conversation_id, event_seq: frame.event_seq, user_id: frame.member.user_id, member: frame.member };
    case 'conversation.updated':
      return { type: 'conversation.updated', conversation_id: frame.conversation_id, event_seq: frame.event_seq, conversation: frame.conversation };
    case 'reaction.added':
    case 'reaction.removed': {
      const { type, conversation_id, event_seq, message_id, emoji, user_id, count } = frame;
      return { type, conversation_id, event_seq, message_id, emoji, user_id, count };
    }
    case 'message.pinned':
    case 'message.unpinned': {
      const { type, conversation_id, event_seq, message_id, user_id, at } = frame;
      return { type, conversation_id, event_seq, message_id, user_id, at };
    }
    case 'messages.expired':
      return { type: 'messages.expired', conversation_id: frame.conversation_id, event_seq: frame.event_seq, through_seq: frame.through_seq };
    default:
      return null;
  }
}

/** A live event that brings the whole conversation: one not yet known starts from it. */
export function conversationOf(event: FeedEvent): Conversation | undefined {
  return 'conversation' in event ? event.conversation : undefined;
}
