/**
 * Reliable sending. Each send gets a client-generated message_id and is retried with that same
 * id (the server's idempotency key) until acknowledged or its deadline passes. Per conversation,
 * one send is in flight at a time, so messages are stored in the order they were sent.
 */
import { Backoff, type BackoffOptions } from './backoff.js';
import { Emitter } from './emitter.js';
import { PneumaticError, isRetryable } from './errors.js';
import type { OutboxEntry, OutboxStore } from './outbox-store.js';
import type { Message } from './types.js';

/** Delivers one entry once: resolves with the stored message, rejects with a PneumaticError. */
export interface OutboxTransport {
  deliver(entry: OutboxEntry): Promise<Message>;
}

export interface SendOptions {
  /** Give up after this many ms (from now). Default: the outbox's `defaultTimeoutMs` (none: retry until acknowledged). */
  timeoutMs?: number;
  /** Give up at this time (epoch ms or Date); wins over `timeoutMs`. */
  deadline?: number | Date;
  /** Reuse an id (e.g. to resend a send of a previous session); default `crypto.randomUUID()`. */
  messageId?: string;
  /** Quote this message (`reply_to_id`, docs/API.md "Replies and threads"). */
  replyToId?: string;
  /** Post in this message's thread (`thread_root_id`). */
  threadRootId?: string;
  /**
   * Ids of your uploads (`client.upload()`) to attach, in display order (at most
   * `ATTACHMENTS_MAX_PER_MESSAGE`, 10); `content` may then be ''.
   */
  attachments?: readonly string[];
}

export interface OutboxEvents {
  /** A send was acknowledged: the stored message. Fires for sends restored from the store too. */
  sent: { entry: OutboxEntry; message: Message };
  /** A send was abandoned: a non-retryable error or its deadline. */
  failed: { entry: OutboxEntry; error: PneumaticError };
  /** A retryable failure; the send will be tried again after `delayMs`. */
  retry: { entry: OutboxEntry; error: PneumaticError; delayMs: number };
}

export interface OutboxOptions {
  store: OutboxStore;
  backoff?: BackoffOptions;
  defaultTimeoutMs?: number | null;
}

interface Pending {
  entry: OutboxEntry;
  settle: (error: PneumaticError | null, message?: Message) => void;
  waiters: Array<{ resolve: (m: Message) => void; reject: (e: PneumaticError) => void }>;
}

export class Outbox extends Emitter<OutboxEvents> {
  private transport: OutboxTransport | null = null;
  private userId: string | null = null;
  /** Per conversation, oldest first. */
  private readonly queues = new Map<string, Pending[]>();
  private readonly running = new Set<string>();
  private readonly wakers = new Map<string, () => void>();
  private readonly backoffOptions: BackoffOptions;

  constructor(private readonly options: OutboxOptions) {
    super();
    this.backoffOptions = { initialDelayMs: 200, maxDelayMs: 5000, ...options.backoff };
  }

  /** Sets who is sending and how; restores that user's stored entries and starts delivering. */
  async start(userId: string, transport: OutboxTransport): Promise<void> {
    const restore = this.userId !== userId;
    this.userId = userId;
    this.transport = transport;
    if (restore) {
      const known = new Set(this.pending().map((e) => e.message_id));
      for (const entry of await this.options.store.load()) {
        if (entry.user_id === userId && !known.has(entry.message_id)) this.enqueue(entry);
      }
    }
    for (const wake of this.wakers.values()) wake();
    for (const conversationId of this.queues.keys()) this.pump(conversationId);
  }

  /** Switches transport (socket ↔ HTTP); sends waiting for a retry try the new one at once. */
  setTransport(transport: OutboxTransport | null): void {
    this.transport = transport;
    for (const wake of this.wakers.values()) wake();
    for (const conversationId of this.queues.keys()) this.pump(conversationId);
  }

  /** Queues a send; resolves with the stored message once acknowledged. */
  async send(conversationId: string, content: string, options: SendOptions = {}): Promise<Message> {
    if (!this.userId) throw new PneumaticError('closed', 'Log in (or connect) before sending.');
    const now = Date.now();
    const timeout = options.timeoutMs ?? this.options.defaultTimeoutMs ?? null;
    const deadline = options.deadline !== undefined ? Number(options.deadline) : timeout !== null ? now + timeout : null;
    const entry: OutboxEntry = {
      message_id: options.messageId ?? globalThis.crypto.randomUUID(),
      conversation_id: conversationId,
      content,
      user_id: this.userId,
      created_at: now,
      deadline_at: deadline,
      ...(options.replyToId ? { reply_to_id: options.replyToId } : {}),
      ...(options.threadRootId ? { thread_root_id: options.threadRootId } : {}),
      ...(options.attachments?.length ? { attachments: [...options.attachments] } : {}),
    };
    await this.options.store.save(entry);
    const pending = this.enqueue(entry);
    return new Promise((resolve, reject) => pending.waiters.push({ resolve, reject }));
  }

  /** Entries not yet acknowledged, oldest first per conversation. */
  pending(): OutboxEntry[] {
    return [...this.queues.values()].flatMap((queue) => queue.map((p) => p.entry));
  }

  /** Stops delivering (entries stay in the store for the next start). */
  stop(): void {
    this.transport = null;
    this.userId = null;
    for (const queue of this.queues.values()) {
      for (const p of queue) p.settle(new PneumaticError('closed', 'The client was closed before the send was acknowledged.'));
    }
    this.queues.clear();
    for (const wake of this.wakers.values()) wake();
  }

  private enqueue(entry: OutboxEntry): Pending {
    const pending: Pending = { entry, waiters: [], settle: () => {} };
    let settled = false;
    pending.settle = (error, message) => {
      if (settled) return;
      settled = true;
      for (const w of pending.waiters) {
        if (error) w.reject(error);
        else w.resolve(message as Message);
      }
    };
    const queue = this.queues.get(entry.conversation_id);
    if (queue) queue.push(pending);
    else this.queues.set(entry.conversation_id, [pending]);
    this.pump(entry.conversation_id);
    return pending;
  }

  private pump(conversationId: string): void {
    if (this.running.has(conversationId) || !this.transport) return;
    this.running.add(conversationId);
    void this.drain(conversationId).then((outcome) => {
      this.running.delete(conversationId);
      // A send queued while the drain was finishing; 'stopped' waits for start()/setTransport().
      if (outcome === 'done' && this.transport && this.queues.get(conversationId)?.length) this.pump(conversationId);
    });
  }

  private async drain(conversationId: string): Promise<'done' | 'stopped'> {
    for (;;) {
      const head = this.queues.get(conversationId)?.[0];
      if (!head) return 'done';
      if (!this.transport) return 'stopped';
      const outcome = await this.deliverWithRetry(head);
      if (outcome === 'stopped') return 'stopped';
      const queue = this.queues.get(conversationId);
      if (queue?.[0] === head) queue.shift();
      if (queue?.length === 0) this.queues.delete(conversationId);
    }
  }

  /** Tries until acknowledged, refused, past the deadline, or the outbox stops. */
  private async deliverWithRetry(pending: Pending): Promise<'done' | 'stopped'> {
    const { entry } = pending;
    const backoff = new Backoff(this.backoffOptions);
    for (;;) {
      const transport = this.transport;
      if (!transport || this.userId !== entry.user_id) return 'stopped';
      if (entry.deadline_at !== null && Date.now() >= entry.deadline_at) return this.fail(pending, deadlineError(entry));
      let error: PneumaticError;
      try {
        const message = await withDeadline(transport.deliver(entry), entry);
        await this.options.store.remove(entry.message_id);
        pending.settle(null, message);
        this.emit('sent', { entry, message });
        return 'done';
      } catch (caught) {
        error = caught instanceof PneumaticError ? caught : new PneumaticError('network', String(caught), null, null, { cause: caught });
      }
      // The transport closed for good (e.g. the session ended): keep the entry for the next transport.
      if (error.code === 'closed') return 'stopped';
      if (error.code === 'deadline_exceeded' || !isRetryable(error)) return this.fail(pending, error);
      // Retry-After when the server gave one (a dropped socket says 0: resend once it reopens), else backoff.
      const delayMs = transport !== this.transport ? 0 : (error.retryAfterMs ?? backoff.next());
      this.emit('retry', { entry, error, delayMs });
      await this.sleep(entry.conversation_id, delayMs);
    }
  }

  private async fail(pending: Pending, error: PneumaticError): Promise<'done'> {
    await this.options.store.remove(pending.entry.message_id);
    pending.settle(error);
    this.emit('failed', { entry: pending.entry, error });
    return 'done';
  }

  /** Waits `ms`, or less if the transport changes (wake) — a new socket deserves an immediate try. */
  private sleep(conversationId: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(conversationId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakers.set(conversationId, done);
    });
  }
}

function deadlineError(entry: OutboxEntry): PneumaticError {
  return new PneumaticError('deadline_exceeded', `Message ${entry.message_id} was not acknowledged before its deadline.`);
}

function withDeadline<T>(promise: Promise<T>, entry: OutboxEntry): Promise<T> {
  if (entry.deadline_at === null) return promise;
  const remaining = entry.deadline_at - Date.now();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(deadlineError(entry)), Math.max(0, remaining));
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
