/** Outgoing webhooks in words (src/lib/webhook-text.ts): a webhook's state and a delivery's outcome. */
import type { Webhook, WebhookDelivery } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { deliveryResponse, deliveryStatus, logTimeLabel, webhookStatus } from '../../src/lib/webhook-text.js';

const webhook = (changes: Partial<Webhook>): Webhook => ({
  id: '00000000-0000-4000-8000-000000000001',
  owner_id: '00000000-0000-4000-8000-000000000002',
  url: 'https://hooks.example.com/x',
  event_types: ['message.created'],
  conversation_id: '00000000-0000-4000-8000-000000000003',
  bot_id: null,
  description: '',
  enabled: true,
  disabled_reason: null,
  disabled_at: null,
  failing_since: null,
  last_success_at: null,
  created_at: '2026-03-02T10:00:00.000Z',
  ...changes,
});

const delivery = (changes: Partial<WebhookDelivery>): WebhookDelivery => ({
  id: '00000000-0000-4000-8000-000000000004',
  webhook_id: '00000000-0000-4000-8000-000000000001',
  conversation_id: '00000000-0000-4000-8000-000000000003',
  event_seq: 1,
  event_type: 'message.created',
  status: 'delivered',
  attempts: 1,
  response_status: 204,
  error: null,
  latency_ms: 12,
  created_at: '2026-03-02T10:00:00.000Z',
  last_attempt_at: '2026-03-02T10:00:00.000Z',
  next_attempt_at: null,
  redelivery_requested: false,
  ...changes,
});

describe('webhookStatus', () => {
  it('says Enabled while deliveries succeed', () => {
    expect(webhookStatus(webhook({}))).toEqual({ text: 'Enabled', tone: 'ok' });
  });

  it('says since when an enabled webhook has been failing', () => {
    const status = webhookStatus(webhook({ failing_since: '2026-03-02T09:30:00.000Z' }), 'en-GB');
    expect(status.tone).toBe('warn');
    expect(status.text).toMatch(/^Failing since 2 Mar 2026/);
  });

  it('says who disabled it: its owner, or the server after it kept failing', () => {
    expect(webhookStatus(webhook({ enabled: false, disabled_reason: 'owner' }))).toEqual({ text: 'Disabled (by you)', tone: 'off' });
    expect(webhookStatus(webhook({ enabled: false, disabled_reason: 'failing', failing_since: '2026-03-01T00:00:00.000Z' }))).toEqual({ text: 'Disabled (kept failing)', tone: 'off' });
  });
});

describe('deliveryResponse and deliveryStatus', () => {
  it("gives the last answer's status, else why none came, and how long it took", () => {
    expect(deliveryResponse(delivery({}))).toBe('204, 12 ms');
    expect(deliveryResponse(delivery({ status: 'retrying', response_status: null, error: 'timeout', latency_ms: 2000 }))).toBe('timeout, 2000 ms');
    expect(deliveryResponse(delivery({ response_status: null, latency_ms: null }))).toBe('—');
  });

  it('adds a queued redelivery to the status', () => {
    expect(deliveryStatus(delivery({}))).toBe('delivered');
    expect(deliveryStatus(delivery({ redelivery_requested: true }))).toBe('delivered, redelivery requested');
  });
});

describe('logTimeLabel', () => {
  it('gives the time to the second today, else the day and time', () => {
    const now = new Date(2026, 2, 2, 15, 0, 0);
    expect(logTimeLabel(new Date(2026, 2, 2, 10, 31, 5).toISOString(), now, 'en-GB')).toBe('10:31:05');
    expect(logTimeLabel(new Date(2026, 2, 1, 10, 31, 5).toISOString(), now, 'en-GB')).toBe('1 Mar, 10:31');
  });
});
