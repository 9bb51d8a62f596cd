import type { DomainEvent, EventPublisher } from '../domain/ports/events.js';

export type DomainEventHandler = (event: DomainEvent) => void;

/**
 * The in-process stream of domain events: services publish, subscribers (the realtime relay
 * today; the change feed, webhooks, push and search indexing later) receive each event
 * synchronously, in publish order, in the process that committed the change. A subscriber
 * that throws is logged and skipped: the change is committed and the caller must still hear so.
 */
export class DomainEventHub implements EventPublisher {
  private readonly handlers: DomainEventHandler[] = [];

  constructor(private readonly onHandlerError: (error: unknown, event: DomainEvent) => void) {}

  /** Adds a subscriber; returns a function that removes it. */
  subscribe(handler: DomainEventHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const index = this.handlers.indexOf(handler);
      if (index >= 0) this.handlers.splice(index, 1);
    };
  }

  publish(event: DomainEvent): void {
    for (const handler of this.handlers) {
      try {
        handler(event);
      } catch (error) {
        this.onHandlerError(error, event);
      }
    }
  }
}
