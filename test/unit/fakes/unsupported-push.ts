/**
 * Web Push is not modelled by the in-memory store: the queue's rules (leases, replacement, one
 * expansion per outbox row) are tested on the real stores and servers (test/push/), and the
 * push domain on fakes of its own ports (test/unit/push/). A unit test that reaches these fails
 * loudly rather than passing on a guess.
 */
import type { DueDelivery, OutboxMessage, PushQueueRepository, PushSubscriptionRecord, PushSubscriptionRepository, SubscribeOutcome } from '../../../src/domain/ports/push-repository.js';

const unsupported = (): never => {
  throw new Error('push is not modelled by the in-memory store');
};

export class UnsupportedPushSubscriptionRepository implements PushSubscriptionRepository {
  subscribe(): Promise<SubscribeOutcome> {
    return unsupported();
  }
  listForUser(): Promise<PushSubscriptionRecord[]> {
    return unsupported();
  }
  remove(): Promise<boolean> {
    return unsupported();
  }
  any(): Promise<boolean> {
    return unsupported();
  }
  secret(): Promise<string> {
    return unsupported();
  }
}

export class UnsupportedPushQueueRepository implements PushQueueRepository {
  claimOutbox(): Promise<OutboxMessage[]> {
    return unsupported();
  }
  hasWork(): Promise<boolean> {
    return unsupported();
  }
  expand(): Promise<number> {
    return unsupported();
  }
  claimDue(): Promise<DueDelivery[]> {
    return unsupported();
  }
  settle(): Promise<void> {
    return unsupported();
  }
}
