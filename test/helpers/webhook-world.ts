/** What the webhook suites share: the test settings, making a webhook, sending many messages. */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestUser } from './api-client.js';

/** Receivers listen on loopback over http: both need the test settings. Short retries and polls keep the suites quick. */
export const WEBHOOK_TEST_ENV = {
  RATE_LIMITS: 'off',
  EGRESS_ALLOW_PRIVATE_ADDRESSES: 'on',
  WEBHOOK_ALLOW_HTTP: 'on',
  WEBHOOK_POLL_MS: '100',
  WEBHOOK_RETRY_BASE_MS: '100',
  WEBHOOK_RETRY_MAX_MS: '1000',
  WEBHOOK_TIMEOUT_MS: '2000',
} as const;

export interface CreatedHook {
  webhook: { id: string; enabled: boolean; disabled_reason: string | null; failing_since: string | null; [key: string]: unknown };
  secret: string;
}

export async function createWebhook(owner: TestUser, body: Record<string, unknown>): Promise<CreatedHook> {
  const created = await owner.api.post('/webhooks', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as CreatedHook;
}

export async function createBot(owner: TestUser): Promise<{ id: string }> {
  const created = await owner.api.post('/bots', { username: `bot${randomUUID().slice(0, 8)}` });
  expect(created.status).toBe(201);
  return (created.body as { user: { id: string } }).user;
}

/** Sends `count` messages, spread over the conversations in turn, `parallel` at a time; returns their ids. */
export async function sendMany(sender: TestUser, conversationIds: readonly string[], count: number, parallel = 16): Promise<string[]> {
  const ids: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const messageId = randomUUID();
      const response = await sender.api.post('/messages', { message_id: messageId, conversation_id: conversationIds[index % conversationIds.length], content: `m${index}` });
      expect(response.status).toBe(201);
      ids.push(messageId);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return ids;
}

export interface LoggedDelivery {
  id: string;
  status: string;
  attempts: number;
  event_seq: number;
  [key: string]: unknown;
}

/**
 * The webhook's delivery log once `ready` holds: the log is written a few milliseconds after
 * each answer (docs/architecture.md, "Outgoing webhooks"), so a receiver can see a delivery first.
 */
export async function deliveryLog(owner: TestUser, webhookId: string, ready: (deliveries: LoggedDelivery[]) => boolean, query = ''): Promise<LoggedDelivery[]> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const response = await owner.api.get(`/webhooks/${webhookId}/deliveries${query}`);
    expect(response.status).toBe(200);
    const deliveries = response.body.deliveries as LoggedDelivery[];
    if (ready(deliveries) || Date.now() > deadline) return deliveries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
