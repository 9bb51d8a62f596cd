import type { BusEvent } from '../domain/ports/events.js';
import type { EventBus, UserDelivery } from './event-bus.js';
import { prepareEvent } from './deliveries.js';

/** One process: events go straight to the local handler, synchronously and in publish order. */
export class LocalEventBus implements EventBus {
  private handler: (delivery: UserDelivery) => void = () => {};

  publish(event: BusEvent): void {
    const prepared = prepareEvent(event);
    for (const userId of prepared.userIds) this.handler(prepared.delivery(userId));
  }

  onDelivery(handler: (delivery: UserDelivery) => void): void {
    this.handler = handler;
  }

  onInterrupted(): void {}

  async watchUser(): Promise<void> {}

  unwatchUser(): void {}

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.handler = () => {};
  }
}
