import type { DomainEventHub } from '../bus/domain-event-hub.js';
import type { EventBus, UserDelivery } from '../bus/event-bus.js';
import type { ConnectionRegistry } from './connection-registry.js';
import { toOutbound } from './event-frames.js';
import type { MessageSequencer } from './message-sequencer.js';

/** Sends every domain event, as its frame, through the bus to the sockets of its audience. */
export function relayEventsToSockets(events: DomainEventHub, bus: EventBus): void {
  events.subscribe((event) => bus.send(toOutbound(event)));
}

/**
 * Delivers what the bus brings for a user to each of that user's connections here. The text
 * was serialized once by the sender; deliveries with a seq pass through the sequencer so every
 * connection sees a conversation's messages in seq order.
 */
export function deliverLocally(registry: ConnectionRegistry, sequencer: MessageSequencer, delivery: UserDelivery): void {
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
