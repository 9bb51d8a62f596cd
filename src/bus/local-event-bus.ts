import { prepareDelivery } from './deliveries.js';
import type { EventBus, Outbound, UserDelivery } from './event-bus.js';

/** One process: deliveries go straight to the local handler, synchronously and in send order. */
export class LocalEventBus implements EventBus {
  private handler: (delivery: UserDelivery) => void = () => {};

  send(outbound: Outbound): void {
    const prepared = prepareDelivery(outbound);
    for (const userId of prepared.userIds) this.handler(prepared.delivery(userId));
  }

  onDelivery(handler: (delivery: UserDelivery) => void): void {
    this.handler = handler;
  }

  onInterrupted(): void {}

  /** No other process holds a cache. */
  invalidate(): void {}

  onInvalidation(): void {}

  async watchUser(): Promise<void> {}

  unwatchUser(): void {}

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.handler = () => {};
  }
}
