/**
 * The push thread on SQLite (push-thread.ts starts it): the push engine on a connection of its
 * own, so the queue's statements, their commits (an fsync each) and their waits for the write
 * lock, which the writer thread holds while it commits sends, block this thread and never the
 * event loop that delivers messages; so does encrypting each push. Who gets a push is asked of
 * the main thread, where presence and the notification policy live. Valid as CommonJS: no
 * top-level await (module-worker.ts).
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { DeliveryOutcome, PushRecipient } from '../domain/ports/push-repository.js';
import { openSqliteConnection } from '../store/sqlite/sqlite-connection.js';
import { SqlitePushQueue } from '../store/sqlite/sqlite-push-queue.js';
import { startPushEngine } from './push-engine.js';
import type { PushLog } from './push-sender.js';
import type { FromPushThread, LogLevel, PushThreadData, ToPushThread } from './push-thread.protocol.js';
import type { RecipientDecider } from './recipient-decider.js';

const port = parentPort!;
const data = workerData as PushThreadData;
const post = (message: FromPushThread) => port.postMessage(message);
const COUNTS_EVERY_MS = 100;

// Pushes are background work: a round of expansion or a run of encryptions takes the CPU for
// tens of milliseconds, and where the server has one core (or is pinned to one) the main thread
// and the writer thread, which deliver and acknowledge messages, would share it with that run.
// A nice value 10 above theirs gives them the core first; the push thread takes what is left.
// On Linux setpriority(0) is per thread, so this lowers this thread alone; elsewhere it may lower
// the process or be refused (and the thread runs at the process's priority, as before).
if (process.platform === 'linux') {
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + 10));
  } catch {
    // Not permitted here: nothing is lost but the precedence.
  }
}

const sqlite = openSqliteConnection(data.path, { kind: 'handler', timeoutMs: data.busyTimeoutMs });
// The queue's own commits need not wait for the disk: in WAL mode a commit without its fsync is
// still atomic, and what power loss could undo is recoverable. An outbox row is the message's,
// written by the writer thread with synchronous=FULL; an expansion lost with the outbox rows it
// deleted is expanded again; a lost lease runs out; a lost outcome repeats its push with the same
// id, which the service worker drops (docs/API.md, "Repeats"). Each fsync skipped is a shorter
// hold of the write lock the writer thread's sends wait behind.
sqlite.pragma('synchronous = NORMAL');

const waiting = new Map<number, { resolve: (r: PushRecipient[][]) => void; reject: (e: Error) => void }>();
let nextId = 0;
const decide: RecipientDecider = (messages, at) =>
  new Promise((resolve, reject) => {
    const id = nextId++;
    waiting.set(id, { resolve, reject });
    post({ type: 'decide', id, messages: [...messages], at: at.getTime() });
  });

/** Errors cross as plain fields: a clone of an Error loses what the log shows of it. */
function plain(object: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  const err = out.err;
  if (err instanceof Error) out.err = { message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  return out;
}
const line = (level: LogLevel) => (object: object, message: string) => post({ type: 'log', level, object: plain(object), message });
const log: PushLog = { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };

// Outcome counts (metrics) cross in batches: a message per push would cost both threads more than the count is worth.
let counts: Partial<Record<DeliveryOutcome['kind'], number>> = {};
let countTimer: NodeJS.Timeout | null = null;
function countOutcome(kind: DeliveryOutcome['kind']): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
  countTimer ??= setTimeout(flushCounts, COUNTS_EVERY_MS);
}
function flushCounts(): void {
  if (countTimer) clearTimeout(countTimer);
  countTimer = null;
  if (Object.keys(counts).length > 0) post({ type: 'outcomes', counts });
  counts = {};
}

const engine = startPushEngine({
  settings: data.settings,
  queue: new SqlitePushQueue(sqlite),
  keys: data.keys,
  decide,
  log,
  countOutcome,
});

port.on('message', (message: ToPushThread) => {
  switch (message.type) {
    case 'wake':
      engine.wakeSoon();
      return;
    case 'decided': {
      const call = waiting.get(message.id);
      waiting.delete(message.id);
      if ('error' in message) call?.reject(new Error(message.error));
      else call?.resolve(message.recipients);
      return;
    }
    case 'stop':
      void engine.stop().finally(() => {
        flushCounts();
        sqlite.close();
        post({ type: 'stopped' });
      });
  }
});
