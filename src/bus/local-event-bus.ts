import type { BusEvent } from '../domain/ports/events.js';
import type { BusHandler, EventBus } from './event-bus.js';

/** One process: events go straight to the local handlers, synchronously and in publish order. */
export class LocalEventBus implements EventBus {
  private readonly handlers: BusHandler[] = [];

  publish(event: BusEvent): void {
    for (const handler of this.handlers) handler(event);
  }

  onEvent(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  watchUser(): void {}

  unwatchUser(): void {}

  isHealthy(): boolean {
    return true;
  }

  async close(): Promise<void> {
    this.handlers.length = 0;
  }
}
