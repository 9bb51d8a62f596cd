/** The push queue (PushQueueRepository) on Kysely, both dialects: the outbox side and the sending side. */
import type { Kysely } from 'kysely';
import type { DeliveryOutcome, DueDelivery, OriginCapacity, OutboxMessage, PushExpansion, PushQueueRepository } from '../../domain/ports/push-repository.js';
import type { Database } from '../schema.js';
import { claimDue, settle } from './push-deliveries.js';
import { claimOutbox, expand } from './push-outbox.js';

export class KyselyPushQueueRepository implements PushQueueRepository {
  constructor(private readonly db: Kysely<Database>) {}

  claimOutbox(limit: number, now: number, leaseUntil: number): Promise<OutboxMessage[]> {
    return claimOutbox(this.db, limit, now, leaseUntil);
  }

  expand(expansions: readonly PushExpansion[], now: number): Promise<number> {
    return expand(this.db, expansions, now);
  }

  claimDue(limit: number, now: number, leaseUntil: number, capacity: OriginCapacity): Promise<DueDelivery[]> {
    return claimDue(this.db, limit, now, leaseUntil, capacity);
  }

  settle(outcomes: ReadonlyArray<{ delivery: DueDelivery; outcome: DeliveryOutcome }>, now: number): Promise<void> {
    return settle(this.db, outcomes, now);
  }
}
