/**
 * How the domain announces what happened. The event bus carries these to every process
 * that holds a connection of an addressed user; the realtime layer turns them into frames.
 */
import type { ServerFrame } from '@pneumatic/protocol';

export type BusEvent =
  /** Send `frame` to every connection of `user_ids`, except those of `except_user_id`. */
  | { kind: 'deliver'; user_ids: string[]; except_user_id?: string; frame: ServerFrame }
  /** Close every connection of `user_id` opened with one of these sessions (logout). */
  | { kind: 'close-sessions'; user_id: string; session_ids: string[]; code: number; reason: string };

export interface EventPublisher {
  publish(event: BusEvent): void;
}
