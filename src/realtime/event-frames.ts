/**
 * The one place that decides who hears a domain event on a socket, and in which frame
 * (../shared/API.md, "Server → client frames"). Each frame is serialized once here and handed
 * to the bus as opaque text; `message` frames carry their seq so receivers release them in order.
 */
import { CloseCode, type ServerFrame } from '@pneumatic/protocol';
import type { Outbound } from '../bus/event-bus.js';
import type { DomainEvent } from '../domain/ports/events.js';

function frame(userIds: readonly string[], body: ServerFrame): Outbound {
  return { kind: 'frame', userIds, text: JSON.stringify(body), order: null };
}

export function toOutbound(event: DomainEvent): Outbound {
  switch (event.type) {
    case 'message.created': {
      const { message } = event;
      const order = { conversationId: message.conversation_id, seq: message.seq };
      return { kind: 'frame', userIds: event.member_ids, text: JSON.stringify({ type: 'message', message } satisfies ServerFrame), order };
    }
    case 'message.edited':
    case 'message.deleted':
      return frame(event.member_ids, { type: 'message.updated', message: event.message });
    case 'conversation.created':
    case 'member.added':
      return frame(event.conversation.members.map((m) => m.user_id), { type: 'member.added', conversation: event.conversation });
    case 'member.removed':
      // member_ids are the members before the removal: the removed user hears it too.
      return frame(event.member_ids, { type: 'member.removed', conversation_id: event.conversation_id, user_id: event.user_id });
    case 'read.advanced':
      return frame(event.member_ids, { type: 'read', conversation_id: event.conversation_id, user_id: event.user_id, seq: event.seq });
    case 'typing.started':
      // The typist's own devices are not told.
      return frame(event.member_ids.filter((id) => id !== event.user_id), { type: 'typing', conversation_id: event.conversation_id, user_id: event.user_id });
    case 'sessions.revoked':
      return { kind: 'close-sessions', userId: event.user_id, sessionIds: event.session_ids, code: CloseCode.SESSION_REVOKED, reason: 'logged out' };
  }
}
