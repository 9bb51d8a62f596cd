import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { EventBus, UserDelivery } from '../bus/event-bus.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { toOutbound } from './event-frames.js';
import type { EventSequencer } from './event-sequencer.js';

/** Sends every domain event, as its frame, through the bus to the sockets of its audience. */
export function relayEventsToSockets(events: DomainEventHub, bus: EventBus): void {
  events.subscribe((event) => {
    for (const outbound of toOutbound(event)) bus.send(outbound);
  });
}

/**
 * Delivers what the bus brings for a user to each of that user's connections here. The text
 * was serialized once by the sender; deliveries of a conversation's events pass through the
 * sequencer so every connection sees them in event_seq order.
 */
export function deliverLocally(registry: ConnectionRegistry, sequencer: EventSequencer, delivery: UserDelivery): void {
  if (delivery.kind === 'close-sessions') {
    for (const sessionId of delivery.sessionIds) {
      for (const connection of [...(registry.forSession(sessionId) ?? [])]) connection.close(delivery.code, delivery.reason);
    }
    return;
  }
  if (!registry.forUser(delivery.userId)) return;
  const send = () => {
    for (const connection of registry.forUser(delivery.userId) ?? []) connection.sendText(delivery.text);
  };
  if (delivery.order) sequencer.offer(delivery.userId, delivery.order, send);
  else send();
}
