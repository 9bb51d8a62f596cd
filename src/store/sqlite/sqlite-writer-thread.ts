import type { Worker } from 'node:worker_threads';
import type { AppendResult, MessageAppender, NewMessage, NewReply, ReactionOutcome, ReplyOutcome } from '../../domain/ports/repositories.js';
import { toMessage } from '../rows.js';
import { startModuleWorker } from './module-worker.js';
import type { ReactionChange, SerializedError, WriterData, WriterItem, WriterReply } from './sqlite-writer.protocol.js';

/** Most sends written in one transaction; a larger backlog takes several. */
const MAX_BATCH = 1024;

interface Pending {
  message: WriterItem;
  /** With a ReplyOutcome for a send or reply, a ReactionOutcome for a reaction change. */
  resolve: (result: ReplyOutcome | ReactionOutcome) => void;
  reject: (error: unknown) => void;
}

function toError(failure: SerializedError): Error {
  return Object.assign(new Error(failure.message), failure.code ? { code: failure.code } : {});
}

/**
 * Group commit for SQLite on a thread of its own. While one batch commits (fsync included, with
 * synchronous=FULL), the sends that arrive queue up and go together in the next transaction;
 * each is resolved only after its transaction commits, so every ack is durable. The event loop
 * never waits for the disk, so deliveries and acks keep flowing during commits. The thread's
 * code is `sqlite-writer.worker.ts`.
 */
export class SqliteWriterThread implements MessageAppender {
  private readonly worker: Worker;
  private queue: Pending[] = [];
  private inFlight: Pending[] | null = null;
  private failed: Error | null = null;
  private drained: (() => void) | null = null;

  constructor(path: string, busyTimeoutMs: number) {
    const workerData: WriterData = { path, busyTimeoutMs };
    this.worker = startModuleWorker(import.meta.url, 'sqlite-writer.worker', { workerData });
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => this.fail(new Error(`SQLite writer thread exited (${code})`)));
  }

  append(message: NewMessage): Promise<AppendResult> {
    // A plain send's outcome is never `refused` nor has a root.
    return this.enqueue(message) as Promise<AppendResult>;
  }

  /** A reply goes in the same batches, in arrival order with the plain sends (sqlite-reply-writer.ts). */
  appendReply(reply: NewReply): Promise<ReplyOutcome> {
    return this.enqueue(reply);
  }

  /** A reaction added or removed, in the same batches too (sqlite-reaction-writer.ts). */
  changeReaction(change: ReactionChange): Promise<ReactionOutcome> {
    return this.enqueue(change) as Promise<ReactionOutcome>;
  }

  private enqueue(message: NewMessage | NewReply): Promise<ReplyOutcome>;
  private enqueue(message: WriterItem): Promise<ReplyOutcome | ReactionOutcome>;
  private enqueue(message: WriterItem): Promise<ReplyOutcome | ReactionOutcome> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.queue.push({ message, resolve, reject });
      if (!this.inFlight) this.dispatch();
    });
  }

  /** Waits for every queued send to commit, then stops the thread. */
  async close(): Promise<void> {
    if (this.inFlight || this.queue.length > 0) await new Promise<void>((resolve) => (this.drained = resolve));
    this.failed ??= new Error('SQLite writer closed');
    await this.worker.terminate();
  }

  private dispatch(): void {
    const batch = this.queue.splice(0, MAX_BATCH);
    this.inFlight = batch;
    this.worker.postMessage(batch.map((p) => p.message));
  }

  private settle(reply: WriterReply): void {
    const batch = this.inFlight ?? [];
    this.inFlight = null;
    if ('failure' in reply) {
      const error = toError(reply.failure);
      for (const item of batch) item.reject(error);
    } else {
      reply.results.forEach((outcome, i) => {
        const item = batch[i]!;
        if ('error' in outcome) item.reject(toError(outcome.error));
        else if ('reaction' in outcome) item.resolve(outcome.reaction);
        else if (outcome.kind === 'refused') item.resolve(outcome);
        else if (outcome.kind === 'existing') item.resolve({ kind: 'existing', message: toMessage(outcome.row) });
        else item.resolve({ kind: 'created', message: toMessage(outcome.row), root: outcome.root ? toMessage(outcome.root) : null });
      });
    }
    if (this.queue.length > 0) this.dispatch();
    else this.drained?.();
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    for (const item of [...(this.inFlight ?? []), ...this.queue]) item.reject(error);
    this.inFlight = null;
    this.queue = [];
    this.drained?.();
  }
}
