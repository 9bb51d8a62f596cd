/**
 * The one place that decides who hears a domain event on a socket, and in which frame
 * (../shared/API.md, "Server → client frames", and docs/API.md, "Change feed"). Each frame is
 * serialized once here and handed to the bus as opaque text. Frames of a conversation's events
 * carry their event_seq, so receivers release them in that order; frames about the receiving
 * user's own state carry their user_seq, and so are sent to that user separately.
 */
import { CloseCode, type ServerFrame } from '@pneumatic/protocol';
import type { EventOrder, Outbound } from '../bus/event-bus.js';
import type { DomainEvent, DomainEventMap } from '../domain/ports/events.js';

function frame(userIds: readonly string[], body: ServerFrame, order: EventOrder | null = null): Outbound {
  return { kind: 'frame', userIds, text: JSON.stringify(body), order };
}

/** `restart`: the recipient joins with this event; `end`: the recipient leaves with it. */
function inConversation(conversationId: string, eventSeq: number, stream?: 'restart' | 'end'): EventOrder {
  if (stream === 'restart') return { conversationId, eventSeq, restart: true };
  if (stream === 'end') return { conversationId, eventSeq, end: true };
  return { conversationId, eventSeq };
}

/** The close reason a revoked session's sockets get, by why it was revoked. */
const REVOCATION_REASONS: Record<DomainEventMap['sessions.revoked']['reason'], string> = {
  logout: 'logged out',
  token_revoked: 'token revoked',
  session_revoked: 'session revoked',
  password_changed: 'password changed',
  deactivated: 'account deactivated',
};

export function toOutbound(event: DomainEvent): Outbound[] {
  switch (event.type) {
    case 'message.created': {
      const { message } = event;
      const { conversation_id, version: event_seq } = message;
      return [frame(event.member_ids, { type: 'message', conversation_id, event_seq, message }, inConversation(conversation_id, event_seq))];
    }
    case 'message.edited':
    case 'message.deleted': {
      const { message } = event;
      const { conversation_id, version: event_seq } = message;
      return [frame(event.member_ids, { type: 'message.updated', conversation_id, event_seq, message }, inConversation(conversation_id, event_seq))];
    }
    case 'thread.updated': {
      // The root with its new thread summary, as an edit is: a client that knows nothing of
      // threads keeps the root current by its version (docs/API.md, "Replies and threads").
      const { message } = event;
      const { conversation_id, version: event_seq } = message;
      return [frame(event.member_ids, { type: 'message.updated', conversation_id, event_seq, message }, inConversation(conversation_id, event_seq))];
    }
    case 'thread.read': {
      // The reader's own devices only: a thread's read position is nobody else's business.
      const { conversation_id, message_id, seq } = event;
      return [frame([event.user_id], { type: 'thread.read', conversation_id, message_id, seq })];
    }
    case 'reaction.added':
    case 'reaction.removed': {
      // Shared by every member, so it names who reacted: each client keeps its own my_reactions from user_id.
      const { conversation_id, event_seq, message_id, emoji, user_id, count } = event;
      const body: ServerFrame = { type: event.type, conversation_id, event_seq, message_id, emoji, user_id, count };
      return [frame(event.member_ids, body, inConversation(conversation_id, event_seq))];
    }
    case 'message.pinned':
    case 'message.unpinned': {
      const { conversation_id, event_seq, message_id, user_id, at } = event;
      const body: ServerFrame = { type: event.type, conversation_id, event_seq, message_id, user_id, at };
      return [frame(event.member_ids, body, inConversation(conversation_id, event_seq))];
    }
    case 'conversation.created': {
      // Each member hears it with their own user_seq: it is a conversation they joined.
      const { conversation } = event;
      const order = inConversation(conversation.id, 1, 'restart');
      return conversation.members.map(({ user_id }) => {
        const user_seq = event.user_seqs[user_id];
        const body: ServerFrame = { type: 'member.added', conversation_id: conversation.id, event_seq: 1, user_id: null, conversation };
        return frame([user_id], user_seq === undefined ? body : { ...body, user_seq }, order);
      });
    }
    case 'conversation.updated': {
      const { conversation, event_seq } = event;
      return [frame(event.member_ids, { type: 'conversation.updated', conversation_id: conversation.id, event_seq, conversation }, inConversation(conversation.id, event_seq))];
    }
    case 'member.added': {
      const { conversation, user_id, event_seq, user_seq } = event;
      const body: ServerFrame = { type: 'member.added', conversation_id: conversation.id, event_seq, user_id, conversation };
      const others = conversation.members.map((m) => m.user_id).filter((id) => id !== user_id);
      return [
        frame(others, body, inConversation(conversation.id, event_seq)),
        // The new member's stream of this conversation starts here.
        frame([user_id], { ...body, user_seq }, inConversation(conversation.id, event_seq, 'restart')),
      ];
    }
    case 'member.removed': {
      const { conversation_id, user_id, event_seq, user_seq } = event;
      const body: ServerFrame = { type: 'member.removed', conversation_id, event_seq, user_id };
      // member_ids are the members before the removal: the removed user hears it too, and
      // nothing of this conversation after it.
      const others = event.member_ids.filter((id) => id !== user_id);
      return [
        frame(others, body, inConversation(conversation_id, event_seq)),
        frame([user_id], { ...body, user_seq }, inConversation(conversation_id, event_seq, 'end')),
      ];
    }
    case 'member.updated': {
      const { conversation_id, member, event_seq } = event;
      return [frame(event.member_ids, { type: 'member.updated', conversation_id, event_seq, member }, inConversation(conversation_id, event_seq))];
    }
    case 'messages.expired': {
      const { conversation_id, through_seq, event_seq } = event;
      return [frame(event.member_ids, { type: 'messages.expired', conversation_id, event_seq, through_seq }, inConversation(conversation_id, event_seq))];
    }
    case 'read.advanced': {
      const { conversation_id, user_id, seq, user_seq } = event;
      const body: ServerFrame = { type: 'read', conversation_id, user_id, seq };
      return [frame(event.member_ids.filter((id) => id !== user_id), body), frame([user_id], { ...body, user_seq })];
    }
    case 'typing.started':
      // The typist's own devices are not told.
      return [frame(event.member_ids.filter((id) => id !== event.user_id), { type: 'typing', conversation_id: event.conversation_id, user_id: event.user_id })];
    case 'notification_settings.changed': {
      // The user's own devices only, unordered like their read frames: user_seq tells them apart.
      const { user_id, user_seq, defaults, conversation } = event;
      return [frame([user_id], { type: 'notification_settings', user_seq, ...(defaults ? { defaults } : {}), ...(conversation ? { conversation } : {}) })];
    }
    case 'user.updated':
      // The user's own devices only; the people they share conversations with get member.updated events.
      return [frame([event.user.id], { type: 'user.updated', user: event.user, user_seq: event.user_seq })];
    case 'sessions.revoked':
      return [{ kind: 'close-sessions', userId: event.user_id, sessionIds: event.session_ids, code: event.reason === 'deactivated' ? CloseCode.ACCOUNT_DEACTIVATED : CloseCode.SESSION_REVOKED, reason: REVOCATION_REASONS[event.reason] }];
  }
}
