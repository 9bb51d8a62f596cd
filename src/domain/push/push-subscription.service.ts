/**
 * Push subscriptions (docs/API.md, "Web Push"): a user registers each browser's
 * PushSubscription, lists them, removes one. Subscriptions belong to their user only: another
 * user's is answered 404 like one that does not exist.
 */
import { randomUUID } from 'node:crypto';
import type { PushSubscription, PushSubscriptionInput } from '@pneumatic/protocol';
import { nowIso } from '../clock.js';
import { AppError } from '../errors.js';
import type { PushSubscriptionRecord, PushSubscriptionRepository } from '../ports/push-repository.js';
import { validSubscription } from './subscription-validation.js';

export interface PushSubscriptionServiceDeps {
  subscriptions: PushSubscriptionRepository;
  maxPerUser: number;
  /** PUSH_ALLOW_INSECURE_ENDPOINTS: http:// endpoints on loopback, for tests. */
  allowInsecureEndpoints: boolean;
  /** The server's VAPID public key (base64url, an uncompressed P-256 point). */
  vapidPublicKey: string;
}

export function toPushSubscription(record: PushSubscriptionRecord): PushSubscription {
  return { id: record.id, endpoint: record.endpoint, created_at: record.created_at, expires_at: record.expires_at };
}

export class PushSubscriptionService {
  constructor(private readonly deps: PushSubscriptionServiceDeps) {}

  vapidPublicKey(): string {
    return this.deps.vapidPublicKey;
  }

  /** Registers the caller's browser; `created` is false when the caller had this endpoint already (same id, keys refreshed). */
  async subscribe(callerId: string, input: PushSubscriptionInput): Promise<{ subscription: PushSubscription; created: boolean }> {
    const valid = validSubscription(input, { allowInsecureEndpoints: this.deps.allowInsecureEndpoints, now: Date.now() });
    const outcome = await this.deps.subscriptions.subscribe({ id: randomUUID(), user_id: callerId, created_at: nowIso(), ...valid }, this.deps.maxPerUser);
    if (outcome.kind === 'limit') {
      throw new AppError(
        'too_many_push_subscriptions',
        `You can have at most ${this.deps.maxPerUser} push subscriptions; remove one (DELETE /push/subscriptions/{id}) first.`,
      );
    }
    return { subscription: toPushSubscription(outcome.subscription), created: outcome.kind === 'created' };
  }

  async list(callerId: string): Promise<PushSubscription[]> {
    return (await this.deps.subscriptions.listForUser(callerId)).map(toPushSubscription);
  }

  async remove(callerId: string, id: string): Promise<void> {
    if (!(await this.deps.subscriptions.remove(callerId, id))) throw new AppError('not_found', 'Push subscription not found.');
  }
}
