import type { Outbound, EventOrder, UserDelivery } from './event-bus.js';

/** An outbound delivery with its shared payload, ready to hand to each recipient. */
export interface PreparedDelivery {
  userIds: readonly string[];
  delivery: (userId: string) => UserDelivery;
  /** The payload every recipient shares (frame text, or the serialized close order). */
  text: string;
  order: EventOrder | null;
}

export function prepareDelivery(outbound: Outbound): PreparedDelivery {
  if (outbound.kind === 'close-sessions') {
    const { sessionIds, code, reason } = outbound;
    return {
      userIds: [outbound.userId],
      text: JSON.stringify({ sessionIds, code, reason }),
      order: null,
      delivery: (userId) => ({ kind: 'close-sessions', userId, sessionIds, code, reason }),
    };
  }
  const { text, order } = outbound;
  return { userIds: outbound.userIds, text, order, delivery: (userId) => ({ kind: 'frame', userId, text, order }) };
}
