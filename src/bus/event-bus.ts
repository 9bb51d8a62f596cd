import type { BusEvent, EventPublisher } from '../domain/ports/events.js';

export type BusHandler = (event: BusEvent) => void;

/**
 * Carries domain events to the processes holding the addressed users' connections.
 * The realtime layer declares which users it serves locally (`watchUser`), so an
 * implementation can route each event only where it is needed.
 */
export interface EventBus extends EventPublisher {
  onEvent(handler: BusHandler): void;
  watchUser(userId: string): void;
  unwatchUser(userId: string): void;
  /** Whether events published now reach other processes (always true in-process). */
  isHealthy(): boolean;
  close(): Promise<void>;
}
