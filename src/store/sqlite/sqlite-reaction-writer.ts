/**
 * Reactions on the SQLite writer thread (docs/API.md, "Reactions"): an add or remove is written
 * in the same batch transaction as the sends around it (its own savepoint), so its commit's
 * fsync never blocks the main thread's event loop, and one fsync covers a whole batch.
 *
 * Same rules as the Kysely path (store/repositories/reaction.repository.ts): the message must be
 * the conversation's and not deleted (`deleted`); a change that changes nothing is `unchanged`
 * and a new emoji beyond `maxDistinct` distinct ones is `too_many`, both with nothing written
 * and no event_seq taken; otherwise the row is inserted or deleted, the message's
 * reaction_count moves and its version becomes the conversation's next event_seq (taken on the
 * counter row), `reaction.added`/`reaction.removed` is logged with the emoji, and the emoji's
 * count after the change is returned. The batch holds the database's write lock, so every check
 * here holds until commit: deciding before taking the event_seq is then the same as the Kysely
 * path's take-then-roll-back, without the rollback.
 */
import type SQLite from 'better-sqlite3';
import type { ReactionOutcome } from '../../domain/ports/repositories.js';
import type { ReactionChange } from './sqlite-writer.protocol.js';

/** Prepares the statements once (after migrations: the writer starts on a migrated database). */
export function reactionWriter(db: SQLite.Database): (change: ReactionChange) => ReactionOutcome {
  const message = db.prepare<[string, string], { deleted_at: string | null }>(
    'select deleted_at from messages where message_id = ? and conversation_id = ?',
  );
  const has = db.prepare<[string, string, string], { one: number }>(
    'select 1 as one from reactions where message_id = ? and emoji = ? and user_id = ?',
  );
  const emojiThere = db.prepare<[string, string], { one: number }>('select 1 as one from reactions where message_id = ? and emoji = ? limit 1');
  const distinct = db.prepare<[string], { distinct: number }>('select count(distinct emoji) as "distinct" from reactions where message_id = ?');
  const insert = db.prepare<[string, string, string, string]>('insert into reactions (message_id, user_id, emoji, created_at) values (?, ?, ?, ?)');
  const remove = db.prepare<[string, string, string]>('delete from reactions where message_id = ? and emoji = ? and user_id = ?');
  const nextEventSeq = db.prepare<[string], { last_event_seq: number }>(
    'update conversations set last_event_seq = last_event_seq + 1 where id = ? returning last_event_seq',
  );
  const bumpMessage = db.prepare<[number, number, string]>(
    'update messages set version = ?, reaction_count = reaction_count + ? where message_id = ?',
  );
  const logEvent = db.prepare<[string, number, string, string, string, string, string, string]>(
    'insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, user_id, emoji, created_at) values (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const count = db.prepare<[string, string], { count: number }>('select count(*) as count from reactions where message_id = ? and emoji = ?');

  /** Why nothing is written, or null when the change goes ahead. */
  function refusal(change: ReactionChange): ReactionOutcome | null {
    const { message_id, conversation_id, emoji, user_id } = change;
    const row = message.get(message_id, conversation_id);
    if (!row || row.deleted_at !== null) return { kind: 'deleted' };
    const there = has.get(message_id, emoji, user_id) !== undefined;
    if (change.op === 'remove') return there ? null : { kind: 'unchanged' };
    if (there) return { kind: 'unchanged' };
    if (!emojiThere.get(message_id, emoji) && distinct.get(message_id)!.distinct >= change.maxDistinct) return { kind: 'too_many' };
    return null;
  }

  return (change) => {
    const refused = refusal(change);
    if (refused) return refused;
    const { message_id, conversation_id, emoji, user_id, at } = change;
    const counter = nextEventSeq.get(conversation_id);
    // The message is the conversation's, so the conversation is there; kept for symmetry with the Kysely path.
    if (!counter) return { kind: 'deleted' };
    const eventSeq = counter.last_event_seq;
    if (change.op === 'add') insert.run(message_id, user_id, emoji, at);
    else remove.run(message_id, emoji, user_id);
    bumpMessage.run(eventSeq, change.op === 'add' ? 1 : -1, message_id);
    const type = change.op === 'add' ? 'reaction.added' : 'reaction.removed';
    logEvent.run(conversation_id, eventSeq, type, user_id, message_id, user_id, emoji, at);
    return { kind: 'changed', event_seq: eventSeq, count: count.get(message_id, emoji)!.count };
  };
}
