/**
 * The SQLite writer thread's code, evaluated with `new Worker(source, { eval: true })` so it runs
 * the same from sources (tsx, Vitest) and from the build. Plain CommonJS: it only needs the
 * better-sqlite3 driver, whose path the parent resolves.
 *
 * Per batch: one IMMEDIATE transaction (the write lock up front); per send a savepoint, so one
 * failing send does not fail its neighbours. When another process holds the write lock, the
 * thread polls for it every 0.1 to 1 ms (within the busy timeout) instead of using SQLite's busy
 * handler, which sleeps 1, 2, 5, 10... up to 100 ms between tries: with several processes
 * committing back to back, those sleeps, not the disk, would set the latency.
 * A known message_id answers with the stored row; otherwise the conversation's counter row is
 * incremented and the message inserted with that seq. created_at is stamped inside the
 * transaction, so it never decreases as seq grows.
 */
export const WRITER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driverPath);
const db = new Database(workerData.path);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 0');
const busyTimeoutMs = Number(workerData.busyTimeoutMs);
const pause = new Int32Array(new SharedArrayBuffer(4));

const existing = db.prepare('select * from messages where message_id = ?');
const bump = db.prepare('update conversations set last_seq = last_seq + 1, last_activity_at = ? where id = ? returning last_seq');
const insert = db.prepare(
  'insert into messages (message_id, conversation_id, sender_id, content, seq, created_at, edited_at, deleted_at) ' +
  'values (?, ?, ?, ?, ?, ?, null, null)');

const appendOne = db.transaction((m) => {
  const stored = existing.get(m.message_id);
  if (stored) return { kind: 'existing', row: stored };
  const createdAt = new Date().toISOString();
  const counter = bump.get(createdAt, m.conversation_id);
  if (!counter) throw Object.assign(new Error('conversation ' + m.conversation_id + ' vanished'), { code: 'NOT_FOUND' });
  insert.run(m.message_id, m.conversation_id, m.sender_id, m.content, counter.last_seq, createdAt);
  return {
    kind: 'created',
    row: { message_id: m.message_id, conversation_id: m.conversation_id, sender_id: m.sender_id, content: m.content,
           seq: counter.last_seq, created_at: createdAt, edited_at: null, deleted_at: null },
  };
});

const writeAll = db.transaction((messages) => messages.map((m) => {
  try {
    return appendOne(m);
  } catch (error) {
    return { error: { message: String(error && error.message), code: error && error.code } };
  }
}));

function writeWithLock(messages) {
  const deadline = Date.now() + busyTimeoutMs;
  for (let waitMs = 0.1; ; waitMs = Math.min(1, waitMs * 2)) {
    try {
      return writeAll.immediate(messages);
    } catch (error) {
      // BEGIN IMMEDIATE refused: nothing was written, so the whole batch may simply be retried.
      if (!error || !String(error.code).startsWith('SQLITE_BUSY') || Date.now() >= deadline) throw error;
      Atomics.wait(pause, 0, 0, waitMs);
    }
  }
}

parentPort.on('message', (messages) => {
  try {
    parentPort.postMessage({ results: writeWithLock(messages) });
  } catch (error) {
    parentPort.postMessage({ failure: { message: String(error && error.message), code: error && error.code } });
  }
});
`;
