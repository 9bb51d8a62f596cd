/**
 * The SQLite writer thread: every send is written here, on a connection of its own, so the main
 * thread's event loop never waits for a commit's fsync. Started by `SqliteWriterThread`, which
 * posts batches (`WriterRequest`) and gets one `WriterReply` per batch.
 *
 * Per batch: one IMMEDIATE transaction (the write lock up front); per send a savepoint, so one
 * failing send does not fail its neighbours. When another process holds the write lock, the
 * thread polls for it every 0.1 to 1 ms (within the busy timeout) instead of using SQLite's busy
 * handler, which sleeps 1, 2, 5, 10... up to 100 ms between tries: with several processes
 * committing back to back, those sleeps, not the disk, would set the latency.
 * A known message_id answers with the stored row; otherwise the conversation's counter row is
 * incremented (seq and event_seq) and the message inserted with that seq, and its
 * `message.created` event logged with that event_seq, and its mention marks written (only for
 * a message that mentions someone). created_at is stamped inside the transaction, so it never
 * decreases as seq grows. Replies (sends naming reply_to_id or thread_root_id) are written here
 * too, in the same batches: sqlite-reply-writer.ts; and so are reactions added or removed:
 * sqlite-reaction-writer.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { NewMessage, NewReply } from '../../domain/ports/repositories.js';
import { markTargets, mentionColumns } from '../mention-marks.js';
import type { MessageRow } from '../rows.js';
import { openSqliteConnection } from './sqlite-connection.js';
import { reactionWriter } from './sqlite-reaction-writer.js';
import { replyWriter } from './sqlite-reply-writer.js';
import { serializeError, type WriteOutcome, type WriterData, type WriterItem, type WriterReply, type WriterRequest } from './sqlite-writer.protocol.js';

const { path, busyTimeoutMs } = workerData as WriterData;
const port = parentPort!;
const db = openSqliteConnection(path, { kind: 'caller' });
const pause = new Int32Array(new SharedArrayBuffer(4));

const existing = db.prepare<[string], MessageRow>('select * from messages where message_id = ?');
const bump = db.prepare<[string, string], { last_seq: number; last_event_seq: number }>(
  'update conversations set last_seq = last_seq + 1, last_event_seq = last_event_seq + 1, last_activity_at = ? ' +
    'where id = ? returning last_seq, last_event_seq',
);
const insert = db.prepare<[string, string, string, string, number, string, number, string, number]>(
  'insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, edited_at, deleted_at, version, mentions, mentions_all) ' +
    'values (?, ?, ?, ?, ?, ?, null, null, ?, ?, ?)',
);
const insertMark = db.prepare<[string, number, string | null, string]>(
  'insert into mention_marks (conversation_id, seq, user_id, sender_id) values (?, ?, ?, ?)',
);
const logEvent = db.prepare<[string, number, string, string, string]>(
  "insert into conversation_events (conversation_id, event_seq, type, actor_id, message_id, user_id, created_at) " +
    "values (?, ?, 'message.created', ?, ?, null, ?)",
);

const appendReply = replyWriter(db);
const changeReaction = reactionWriter(db);

/** One item; nested in the batch's transaction, so better-sqlite3 runs it in a savepoint. */
const appendOne = db.transaction((item: WriterItem): WriteOutcome => {
  if ('op' in item) return { reaction: changeReaction(item) };
  return appendMessage(item);
});

function appendMessage(m: NewMessage | NewReply): WriteOutcome {
  if ('reply_to_id' in m) return appendReply(m);
  const stored = existing.get(m.message_id);
  if (stored) return { kind: 'existing', row: stored };
  const createdAt = new Date().toISOString();
  const counter = bump.get(createdAt, m.conversation_id);
  if (!counter) throw Object.assign(new Error(`conversation ${m.conversation_id} vanished`), { code: 'NOT_FOUND' });
  const columns = mentionColumns(m.mentions);
  insert.run(m.message_id, m.conversation_id, m.sender_id, m.content, counter.last_seq, createdAt, counter.last_event_seq, columns.mentions, columns.mentions_all);
  logEvent.run(m.conversation_id, counter.last_event_seq, m.sender_id, m.message_id, createdAt);
  for (const target of markTargets(m.sender_id, m.mentions)) insertMark.run(m.conversation_id, counter.last_seq, target, m.sender_id);
  return {
    kind: 'created',
    row: { message_id: m.message_id, conversation_id: m.conversation_id, sender_id: m.sender_id, content: m.content,
           seq: counter.last_seq, created_at: createdAt, edited_at: null, deleted_at: null, version: counter.last_event_seq, ...columns },
  };
}

const writeAll = db.transaction((messages: WriterRequest): WriteOutcome[] =>
  messages.map((m) => {
    try {
      return appendOne(m);
    } catch (error) {
      return { error: serializeError(error) };
    }
  }),
);

function writeWithLock(messages: WriterRequest): WriteOutcome[] {
  const deadline = Date.now() + busyTimeoutMs;
  for (let waitMs = 0.1; ; waitMs = Math.min(1, waitMs * 2)) {
    try {
      return writeAll.immediate(messages);
    } catch (error) {
      // BEGIN IMMEDIATE refused: nothing was written, so the whole batch may simply be retried.
      const code = (error as { code?: unknown } | null)?.code;
      if (typeof code !== 'string' || !code.startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, waitMs);
    }
  }
}

port.on('message', (messages: WriterRequest) => {
  let reply: WriterReply;
  try {
    reply = { results: writeWithLock(messages) };
  } catch (error) {
    reply = { failure: serializeError(error) };
  }
  port.postMessage(reply);
});
