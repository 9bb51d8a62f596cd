/** An EventPublisher that keeps what was published, in order, for assertions. */
import type { DomainEvent, EventPublisher } from '../../../src/domain/ports/events.js';

export class RecordingEvents implements EventPublisher {
  readonly published: DomainEvent[] = [];

  publish(event: DomainEvent): void {
    this.published.push(event);
  }

  /** Returns what was published since the last take and forgets it. */
  take(): DomainEvent[] {
    return this.published.splice(0);
  }
}
