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

  async hasWork(): Promise<boolean> {
    const outbox = await this.db.selectFrom('push_outbox').select('id').limit(1).executeTakeFirst();
    if (outbox) return true;
    return (await this.db.selectFrom('push_deliveries').select('subscription_id').where('pending', '=', 1).limit(1).executeTakeFirst()) !== undefined;
  }

  expand(expansions: readonly PushExpansion[], now: number): Promise<number> {
    return expand(this.db, expansions, now);
  }

  claimDue(limit: number, now: number, leaseUntil: number, capacity: OriginCapacity): Promise<DueDelivery[]> {
    return claimDue(this.db, limit, now, leaseUntil, capacity);
  }

  settle(outcomes: ReadonlyArray<{ delivery: DueDelivery; outcome: DeliveryOutcome }>, now: number, nextPushAt: number): Promise<void> {
    return settle(this.db, outcomes, now, nextPushAt);
  }
}
