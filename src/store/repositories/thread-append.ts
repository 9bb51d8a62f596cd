/**
 * Storing a reply (a send naming `reply_to_id` and/or `thread_root_id`) in one transaction on a
 * Kysely connection: PostgreSQL's path. (SQLite's replies go to its writer thread with the plain
 * sends, sqlite/sqlite-reply-writer.ts, by the same rules; this works there too, but would wait
 * for the write lock beside the writer.)
 *
 * 1. the conversation's counter row is incremented first (seq by one; event_seq by one, or two
 *    for a thread reply: its `message.created` and the root's `thread.updated`), which takes the
 *    lock every change to the conversation takes (PostgreSQL: the row; SQLite: the write lock),
 *    so what is checked below holds until commit and concurrent replies count exactly;
 * 2. a message_id already stored answers with that message (rolled back: nothing changes);
 * 3. the quoted message and the root are checked (same conversation, root not itself a reply,
 *    neither deleted); a refusal rolls back;
 * 4. the message is inserted, its event logged, and the root's summary, version and event
 *    written; the sender follows the thread with it read up to their reply, and the root's
 *    author follows it unless they chose otherwise.
 *
 * Sends that name neither never come here: they keep the group-commit path (SQLite writer
 * thread, PostgreSQL batch statement) and its single round trip. Replies are fewer and pay a
 * transaction of a few statements.
 */
import { markTargets, mentionColumns } from '../mention-marks.js';
import { replaceMentionMarks } from './mention-marks.repository.js';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Message } from '@pneumatic/protocol';
import type { NewReply, ReplyOutcome, ReplyRefusal } from '../../domain/ports/repositories.js';
import type { Dialect } from '../dialect.js';
import { logEvent } from '../change-feed/event-log.js';
import { toIso, toMessage } from '../rows.js';
import type { Database } from '../schema.js';
import { isUniqueViolation } from '../sql-errors.js';
import { reactionsOf } from './reaction-reads.js';

/** Thrown inside the transaction to roll it back with an outcome. */
class Undo extends Error {
  constructor(readonly outcome: ReplyOutcome) {
    super('reply not stored');
  }
}

/**
 * The commit time, read once the lock is held, so created_at never decreases as seq grows,
 * whichever path (this one or the group commit) wrote the previous message: the database's
 * clock, cut to the millisecond as the wire format is.
 */
const NOW: Record<Dialect, string> = {
  sqlite: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')",
  postgres: "date_trunc('milliseconds', clock_timestamp())",
};

export async function appendReply(db: Kysely<Database>, dialect: Dialect, reply: NewReply): Promise<ReplyOutcome> {
  try {
    return await db.transaction().execute((trx) => writeReply(trx, dialect, reply));
  } catch (error) {
    if (error instanceof Undo) return error.outcome;
    // The same message_id committed by another send since this one looked: that one is it.
    const stored = isUniqueViolation(error) ? await existing(db, reply.message_id) : null;
    if (stored) return stored;
    throw error;
  }
}

async function writeReply(trx: Transaction<Database>, dialect: Dialect, reply: NewReply): Promise<ReplyOutcome> {
  const inThread = reply.thread_root_id !== null;
  const counter = await trx
    .updateTable('conversations')
    .set((eb) => ({
      last_seq: eb('last_seq', '+', 1),
      last_event_seq: eb('last_event_seq', '+', inThread ? 2 : 1),
      last_activity_at: sql.raw(NOW[dialect]),
    }))
    .where('id', '=', reply.conversation_id)
    .returning(['last_seq', 'last_event_seq', 'last_activity_at'])
    .executeTakeFirst();
  if (!counter) throw new Error(`conversation ${reply.conversation_id} vanished during a send`);
  const stored = await existing(trx, reply.message_id);
  if (stored) throw new Undo(stored);
  await check(trx, reply);
  await attach(trx, reply);

  const seq = Number(counter.last_seq);
  const createdEventSeq = Number(counter.last_event_seq) - (inThread ? 1 : 0);
  const createdAt = toIso(counter.last_activity_at);
  const row = await trx
    .insertInto('messages')
    .values({
      message_id: reply.message_id,
      conversation_id: reply.conversation_id,
      sender_id: reply.sender_id,
      content: reply.content,
      seq,
      created_at: createdAt,
      edited_at: null,
      deleted_at: null,
      version: createdEventSeq,
      reply_to_id: reply.reply_to_id,
      thread_root_id: reply.thread_root_id,
      ...mentionColumns(reply.mentions),
      attachments: JSON.stringify(reply.attachments ?? []),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const attachments = reply.attachments ?? [];
  if (attachments.length > 0) {
    await trx
      .insertInto('message_attachments')
      .values(attachments.map((attachment, position) => ({ message_id: reply.message_id, upload_id: attachment.id, position })))
      .execute();
  }
  await replaceMentionMarks(trx, { conversation_id: reply.conversation_id, seq, sender_id: reply.sender_id }, markTargets(reply.sender_id, reply.mentions));
  const event = { conversation_id: reply.conversation_id, actor_id: reply.sender_id, created_at: createdAt };
  await logEvent(trx, { ...event, event_seq: createdEventSeq, type: 'message.created', message_id: reply.message_id });
  const message = toMessage(row);
  if (reply.thread_root_id === null) return { kind: 'created', message, root: null };

  const rootEventSeq = createdEventSeq + 1;
  const rootRow = await trx
    .updateTable('messages')
    .set((eb) => ({
      thread_reply_count: eb('thread_reply_count', '+', 1),
      thread_last_reply_at: createdAt,
      thread_last_reply_id: reply.message_id,
      version: rootEventSeq,
    }))
    .where('message_id', '=', reply.thread_root_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await logEvent(trx, { ...event, event_seq: rootEventSeq, type: 'thread.updated', message_id: reply.thread_root_id });
  await follow(trx, reply, seq, rootRow.sender_id);
  // Under the lock, so no reaction change interleaves: these are the root's as of this version.
  const reactions = (await reactionsOf(trx, [rootRow.message_id])).get(rootRow.message_id);
  return { kind: 'created', message, root: toMessage(rootRow, reactions) };
}

/** Refuses (rolling back) a quoted message or root that is not the conversation's, a nested thread, or a deleted one. */
async function check(trx: Transaction<Database>, reply: NewReply): Promise<void> {
  const refuse = (reason: ReplyRefusal): never => {
    throw new Undo({ kind: 'refused', reason });
  };
  if (reply.thread_root_id !== null) {
    const root = await subject(trx, reply.thread_root_id);
    if (!root || root.conversation_id !== reply.conversation_id) refuse('root_unknown');
    else if (root.thread_root_id !== null) refuse('root_nested');
    else if (root.deleted_at !== null) refuse('root_deleted');
  }
  if (reply.reply_to_id !== null) {
    const target = await subject(trx, reply.reply_to_id);
    if (!target || target.conversation_id !== reply.conversation_id) refuse('target_unknown');
    else if (target.deleted_at !== null) refuse('target_deleted');
  }
}

/**
 * Marks the attachments attached, refusing (rolling back) unless each is still the sender's and
 * ready. The update takes each upload's row lock, so the clean-up job's claim of the same row
 * waits for this transaction and then finds it attached (store/repositories/upload.repository.ts).
 */
async function attach(trx: Transaction<Database>, reply: NewReply): Promise<void> {
  const ids = (reply.attachments ?? []).map((a) => a.id);
  if (ids.length === 0) return;
  const marked = await trx
    .updateTable('uploads')
    .set({ attached: 1 })
    .where('id', 'in', ids)
    .where('owner_id', '=', reply.sender_id)
    .where('status', '=', 'ready')
    .executeTakeFirst();
  if (Number(marked.numUpdatedRows) !== ids.length) throw new Undo({ kind: 'refused', reason: 'attachment_unavailable' });
}

function subject(trx: Transaction<Database>, messageId: string) {
  return trx
    .selectFrom('messages')
    .select(['conversation_id', 'thread_root_id', 'deleted_at'])
    .where('message_id', '=', messageId)
    .executeTakeFirst();
}

/**
 * Posting follows the thread, with it read up to the post (the newest seq of the conversation:
 * the lock is held); re-following if the sender had unfollowed. The root's author follows it
 * from its first reply on, unless they unfollowed it.
 */
async function follow(trx: Transaction<Database>, reply: NewReply, seq: number, rootAuthorId: string): Promise<void> {
  const rootId = reply.thread_root_id!;
  await trx
    .insertInto('thread_reads')
    .values({ user_id: reply.sender_id, message_id: rootId, conversation_id: reply.conversation_id, following: 1, last_read_seq: seq })
    .onConflict((oc) => oc.columns(['user_id', 'message_id']).doUpdateSet({ following: 1, last_read_seq: seq }))
    .execute();
  if (rootAuthorId === reply.sender_id) return;
  await trx
    .insertInto('thread_reads')
    .values({ user_id: rootAuthorId, message_id: rootId, conversation_id: reply.conversation_id, following: 1, last_read_seq: 0 })
    .onConflict((oc) => oc.columns(['user_id', 'message_id']).doNothing())
    .execute();
}

/** The message stored under this id, as an `existing` outcome, or null. */
async function existing(db: Kysely<Database>, messageId: string): Promise<ReplyOutcome | null> {
  const row = await db.selectFrom('messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  if (!row) return null;
  const reactions = (await reactionsOf(db, [messageId])).get(messageId);
  const message: Message = toMessage(row, reactions);
  return { kind: 'existing', message };
}
