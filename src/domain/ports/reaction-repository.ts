/** The storage port of reactions (docs/API.md, "Reactions"); part of `Store`. */
import type { ReactionUsers } from '@pneumatic/protocol';
import type { MessageRef } from './repositories.js';

/** A reaction change, as the store receives it. */
export interface ReactionInput {
  message: MessageRef;
  emoji: string;
  user_id: string;
  at: string;
}

/**
 * What a reaction change did. `changed`: logged as the conversation's next event (the message's
 * new version) with the emoji's count after it. `unchanged`: it was already so, nothing logged.
 * `too_many`: a new emoji on a message that has `maxDistinct` already. `deleted`: the message is
 * deleted (or gone); nothing changed.
 */
export type ReactionOutcome =
  | { kind: 'changed'; event_seq: number; count: number }
  | { kind: 'unchanged' }
  | { kind: 'too_many' }
  | { kind: 'deleted' };

/**
 * Reactions, one row per (message, emoji, user). Each change takes the conversation's next
 * event_seq under its counter row's lock, so concurrent identical reactions serialize and only
 * the first changes anything; deleting a message removes its reactions in the same transaction.
 */
export interface ReactionRepository {
  add(input: ReactionInput, maxDistinct: number): Promise<ReactionOutcome>;
  remove(input: ReactionInput): Promise<ReactionOutcome>;
  /** Who reacted with what, per emoji in order of first reaction, reactors earliest first. */
  list(messageId: string): Promise<ReactionUsers[]>;
}
