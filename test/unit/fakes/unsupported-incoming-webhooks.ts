/**
 * Incoming webhooks are not modelled by the in-memory store: they are tested on the real stores
 * and servers (test/http/incoming-webhooks.routes.test.ts). A unit test that reaches this fails
 * loudly rather than passing on a guess.
 */
import type { IncomingWebhookRecord, IncomingWebhookRepository } from '../../../src/domain/ports/incoming-webhook-repository.js';

const unsupported = (): never => {
  throw new Error('incoming webhooks are not modelled by the in-memory store');
};

export class UnsupportedIncomingWebhookRepository implements IncomingWebhookRepository {
  create(): Promise<void> {
    return unsupported();
  }
  listFor(): Promise<IncomingWebhookRecord[]> {
    return unsupported();
  }
  findByTokenHash(): Promise<IncomingWebhookRecord | null> {
    return unsupported();
  }
  remove(): Promise<boolean> {
    return unsupported();
  }
}
