/** An EventPublisher that keeps what was published, in order, for assertions. */
import type { EventPublisher } from '../../../src/domain/ports/events.js';

export type PublishedEvent = Parameters<EventPublisher['publish']>[0];

export class RecordingEvents implements EventPublisher {
  readonly published: PublishedEvent[] = [];

  publish(event: PublishedEvent): void {
    this.published.push(event);
  }

  /** Returns what was published since the last take and forgets it. */
  take(): PublishedEvent[] {
    return this.published.splice(0);
  }
}
