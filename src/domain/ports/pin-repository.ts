/** The storage port of pins (docs/API.md, "Pins"); part of `Store`. */
import type { Pin } from '@pneumatic/protocol';
import type { MessageRef } from './repositories.js';

/** A pin change, as the store receives it: `user_id` pins or unpins the message at `at`. */
export interface PinInput {
  message: MessageRef;
  user_id: string;
  at: string;
}

/**
 * What a pin change did. `changed`: logged as the conversation's next event. `unchanged`: it
 * was already so, nothing logged. `too_many`: the conversation has `max` pins already.
 * `deleted`: the message is deleted (or gone); nothing changed.
 */
export type PinOutcome = { kind: 'changed'; event_seq: number } | { kind: 'unchanged' } | { kind: 'too_many' } | { kind: 'deleted' };

/**
 * A conversation's pinned messages, one row per (conversation, message). Each change takes the
 * conversation's next event_seq under its counter row's lock, so concurrent pins serialize (the
 * cap holds, a repeat changes nothing); deleting a message removes its pin in the same transaction.
 */
export interface PinRepository {
  /** Pins a message that is not deleted, unless the conversation has `max` pins. */
  pin(input: PinInput, max: number): Promise<PinOutcome>;
  /** Unpins; a message not pinned (a deleted one included) is `unchanged`. */
  unpin(input: PinInput): Promise<PinOutcome>;
  /** The conversation's pins with their messages, newest pin first. */
  list(conversationId: string): Promise<Pin[]>;
}
