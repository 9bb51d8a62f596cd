/**
 * The push queue (PushQueueRepository) on one SQLite connection, in prepared statements run
 * synchronously: what the push thread uses (push/push.worker.ts). Its write transactions are
 * IMMEDIATE and hold the write lock only while their statements run, so the writer thread's
 * sends, which wait for that lock, wait little (sqlite-push-outbox.ts). The Kysely
 * implementation (push/push-queue.repository.ts) serves PostgreSQL and a push engine on the
 * main thread; both follow the same rules, and the push-queue contract test runs both.
 */
import type SQLite from 'better-sqlite3';
import type { DeliveryOutcome, DueDelivery, OriginCapacity, OutboxMessage, PushExpansion, PushQueueRepository } from '../../domain/ports/push-repository.js';
import { sqlitePushDeliveries } from './sqlite-push-deliveries.js';
import { sqlitePushOutbox } from './sqlite-push-outbox.js';

export class SqlitePushQueue implements PushQueueRepository {
  private readonly outbox: ReturnType<typeof sqlitePushOutbox>;
  private readonly deliveries: ReturnType<typeof sqlitePushDeliveries>;
  private readonly anyOutbox: SQLite.Statement;
  private readonly anyPending: SQLite.Statement;

  constructor(db: SQLite.Database) {
    this.outbox = sqlitePushOutbox(db);
    this.deliveries = sqlitePushDeliveries(db);
    this.anyOutbox = db.prepare('select 1 from push_outbox limit 1').pluck();
    this.anyPending = db.prepare('select 1 from push_deliveries where pending = 1 limit 1').pluck();
  }

  async claimOutbox(limit: number, now: number, leaseUntil: number): Promise<OutboxMessage[]> {
    return this.outbox.claimOutbox(limit, now, leaseUntil);
  }

  async hasWork(): Promise<boolean> {
    return this.anyOutbox.get() !== undefined || this.anyPending.get() !== undefined;
  }

  async expand(expansions: readonly PushExpansion[], now: number): Promise<number> {
    return this.outbox.expand(expansions, now);
  }

  async claimDue(limit: number, now: number, leaseUntil: number, capacity: OriginCapacity): Promise<DueDelivery[]> {
    return this.deliveries.claimDue(limit, now, leaseUntil, capacity);
  }

  async settle(outcomes: ReadonlyArray<{ delivery: DueDelivery; outcome: DeliveryOutcome }>, _now: number, nextPushAt: number): Promise<void> {
    this.deliveries.settle(outcomes, nextPushAt);
  }
}
