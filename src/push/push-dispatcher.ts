/**
 * Turns queued messages into deliveries (docs/architecture.md, "The push queue"): claims outbox
 * rows (a lease, so several processes share the work), decides each message's recipients
 * (recipient-decider.ts: settings, presence) outside any transaction, then writes the
 * deliveries and removes the rows in one transaction. Woken by this process's sends (shortly
 * after, so one round takes a burst) and by the poll, which finds other processes' rows and
 * rows a crash left behind once their lease ran out.
 */
import type { PushQueueRepository } from '../domain/ports/push-repository.js';
import type { RecipientDecider } from './recipient-decider.js';
import type { PushLog } from './push-sender.js';

export interface PushDispatcherDeps {
  queue: Pick<PushQueueRepository, 'claimOutbox' | 'expand'>;
  /** Each claimed message's recipients (recipient-decider.ts): here, or asked of the main thread from the push thread. */
  decide: RecipientDecider;
  /** Called after deliveries were written: the sender has work. */
  onExpanded(): void;
  log: PushLog;
  now?: () => number;
}

/** Outbox rows per round: a second of sends at a few thousand a second. */
export const OUTBOX_BATCH = 2000;
/** How long a claimed outbox row is left to the process that claimed it (a round takes milliseconds). */
export const OUTBOX_LEASE_MS = 10_000;
/**
 * A send wakes the dispatcher this much later, so the sends of a burst are expanded together. A
 * push is that much later, unnoticeable.
 */
export const WAKE_DELAY_MS = 100;
/**
 * While sends keep coming (the last round took BUSY_ROUND messages or more), a send wakes it
 * this much later instead. A round writes one delivery row per subscription and conversation it
 * touched, however many messages it took, so its cost follows how many conversations are active,
 * not how many messages they got: rounds every 100 ms under a steady load rewrote the same rows
 * ten times a second. Once a second bounds that, at the price of a push up to a second later
 * on a busy server, where a conversation's pushes are anyway at most one per collapse window.
 */
export const BUSY_WAKE_DELAY_MS = 1_000;
export const BUSY_ROUND = 32;

export class PushDispatcher {
  private readonly now: () => number;
  private running = false;
  private again = false;
  private stopped = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private busy = false;
  private current: Promise<void> = Promise.resolve();

  constructor(private readonly deps: PushDispatcherDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** A message was stored here: expand soon. */
  wakeSoon(): void {
    if (this.stopped || this.wakeTimer) return;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wake();
    }, this.busy ? BUSY_WAKE_DELAY_MS : WAKE_DELAY_MS);
  }

  /** Expands now (coalesced: one round at a time, another after it when woken meanwhile). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    this.current = this.run().finally(() => {
      this.running = false;
      // Woken between the last round and here: nobody else will run it.
      if (this.again) this.wake();
    });
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        if ((await this.round()) === OUTBOX_BATCH) this.again = true;
      } catch (error) {
        this.deps.log.error({ err: error }, 'push: could not expand queued messages; they are taken again when their lease ends');
        return;
      }
    } while (this.again && !this.stopped);
  }

  /** One round: returns how many outbox rows it claimed. */
  private async round(): Promise<number> {
    const now = this.now();
    const claimed = await this.deps.queue.claimOutbox(OUTBOX_BATCH, now, now + OUTBOX_LEASE_MS);
    this.busy = claimed.length >= BUSY_ROUND;
    if (claimed.length === 0) return 0;
    const decided = await this.deps.decide(claimed, new Date(now));
    const expansions = claimed.map((message, i) => ({
      outbox_id: message.outbox_id,
      message_id: message.message_id,
      conversation_id: message.conversation_id,
      seq: message.seq,
      recipients: decided[i] ?? [],
    }));
    if ((await this.deps.queue.expand(expansions, this.now())) > 0) this.deps.onExpanded();
    return claimed.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    await this.current;
  }
}
