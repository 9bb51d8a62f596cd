import type { BusEvent } from '../domain/ports/events.js';
import type { SeqOrder, UserDelivery } from './event-bus.js';

/** The frame serialized once, and whom it goes to. */
export interface PreparedEvent {
  userIds: string[];
  delivery: (userId: string) => UserDelivery;
  /** The payload every recipient shares (serialized frame text, or the close order). */
  text: string;
  order: SeqOrder | null;
}

/** Serializes an event once and lists its recipients (the excluded user removed). */
export function prepareEvent(event: BusEvent): PreparedEvent {
  if (event.kind === 'close-sessions') {
    const { session_ids: sessionIds, code, reason } = event;
    return {
      userIds: [event.user_id],
      text: JSON.stringify({ sessionIds, code, reason }),
      order: null,
      delivery: (userId) => ({ kind: 'close-sessions', userId, sessionIds, code, reason }),
    };
  }
  const text = JSON.stringify(event.frame);
  const order = event.frame.type === 'message' ? { conversationId: event.frame.message.conversation_id, seq: event.frame.message.seq } : null;
  const userIds = event.except_user_id === undefined ? event.user_ids : event.user_ids.filter((id) => id !== event.except_user_id);
  return { userIds, text, order, delivery: (userId) => ({ kind: 'frame', userId, text, order }) };
}
