/**
 * The webhook thread (webhook-thread.ts starts it): the delivery engine on a database
 * connection of its own, at a lower priority than the threads that take and deliver messages.
 * A webhook delivery costs CPU (reading the event, signing, the HTTP exchange, its log row); on
 * the main thread that CPU came straight out of sends whenever the server was busy. Here the
 * scheduler gives the main and writer threads the core first, and deliveries take what is left:
 * under a load that uses every core they fall behind (the queue is the change feed: nothing is
 * lost) and catch up when it eases. Valid as CommonJS: no top-level await (module-worker.ts).
 */
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { MessageAppender } from '../domain/ports/repositories.js';
import { UrlSigner } from '../files/signed-urls.js';
import { createEgressAgents } from '../net/egress.js';
import { KyselyChangeFeedRepository } from '../store/change-feed/change-feed.repository.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { openDb } from '../store/db.js';
import { KyselyConversationRepository } from '../store/repositories/conversation.repository.js';
import { KyselyMessageRepository } from '../store/repositories/message.repository.js';
import { KyselyWebhookQueue } from '../store/webhooks/webhook-queue.repository.js';
import { hostsLookup } from '../net/hosts-lookup.js';
import type { FromWebhookThread, LogLevel, ToWebhookThread, WebhookThreadData } from './webhook-thread.protocol.js';
import { WebhookEngine } from './webhook-engine.js';
import { webhookSender } from './webhook-sender.js';

const port = parentPort!;
const data = workerData as WebhookThreadData;
const post = (message: FromWebhookThread) => port.postMessage(message);
const COUNTS_EVERY_MS = 100;

// On Linux setpriority(0) is per thread: this lowers this thread alone (push.worker.ts does the same).
if (process.platform === 'linux') {
  try {
    os.setPriority(0, Math.min(19, os.getPriority(0) + 10));
  } catch {
    // Not permitted here: nothing is lost but the precedence.
  }
}

/** Errors cross as plain fields: a clone of an Error loses what the log shows of it. */
function plain(object: object): Record<string, unknown> {
  const out: Record<string, unknown> = { ...object };
  const err = out.err;
  if (err instanceof Error) out.err = { message: err.message, stack: err.stack, code: (err as { code?: unknown }).code };
  return out;
}
const logAt = (level: LogLevel) => (object: object, message: string) => post({ type: 'log', level, object: plain(object), message });
const log = { info: logAt('info'), warn: logAt('warn'), error: logAt('error') };

const opened = openDb(parseDatabaseUrl(data.databaseUrl), { ...data.db, poolMax: Math.min(data.db.poolMax, 4) });
// On SQLite this thread's commits need not wait for the disk: in WAL mode a commit without its
// fsync is still atomic, and what power loss could undo only repeats deliveries under the same
// webhook-ids (the events themselves are the writer thread's, written with synchronous=FULL).
// Each fsync skipped is a shorter hold of the write lock the writer thread's sends wait behind.
opened.sqlite?.pragma('synchronous = NORMAL');
// This thread only reads messages; it never appends one.
const noAppends: MessageAppender = { append: () => Promise.reject(new Error('the webhook thread does not send messages')) };
const conversations = new KyselyConversationRepository(opened.db, opened.dialect);
const feed = new KyselyChangeFeedRepository(opened.db, conversations, new KyselyMessageRepository(opened.db, noAppends, opened.dialect));
const agents = createEgressAgents({ ...data.egress, ...(data.hosts ? { lookup: hostsLookup(data.hosts) } : {}) });
const signer = new UrlSigner(data.signing.secret, data.signing.ttlSeconds);

const counts = { delivered: 0, failed: 0 };
const flushCounts = setInterval(() => {
  if (counts.delivered + counts.failed === 0) return;
  post({ type: 'outcomes', ...counts });
  counts.delivered = 0;
  counts.failed = 0;
}, COUNTS_EVERY_MS);

const engine = new WebhookEngine({
  settings: data.settings,
  queue: new KyselyWebhookQueue(opened.db),
  feed,
  send: webhookSender(agents, data.settings.timeoutMs),
  log,
  signUrls: (json) => signer.signJson(json),
  countOutcome: (outcome) => counts[outcome]++,
});
engine.start();

port.on('message', (message: ToWebhookThread) => {
  if (message.type === 'wake') {
    for (const conversationId of message.conversations) engine.wake(conversationId);
    return;
  }
  void engine
    .stop()
    .catch((error: unknown) => log.error({ err: error }, 'webhooks: stopping the engine failed'))
    .then(async () => {
      clearInterval(flushCounts);
      if (counts.delivered + counts.failed > 0) post({ type: 'outcomes', ...counts });
      agents.destroy();
      await opened.db.destroy();
      post({ type: 'stopped' });
    });
});
