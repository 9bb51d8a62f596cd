/**
 * The webhook rules where they live: the signature is the Standard Webhooks scheme (checked with
 * the scheme's own library), retries back off exponentially with jitter up to the cap, a
 * webhook is disabled and an event given up only after the period, and URLs are judged before
 * anything is stored.
 */
import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { AppError } from '../../../src/domain/errors.js';
import { webhookDeliveryId } from '../../../src/domain/webhooks/delivery-id.js';
import { afterFailure, retryDelayMs } from '../../../src/domain/webhooks/webhook-retry.policy.js';
import { validWebhookUrl } from '../../../src/domain/webhooks/webhook-url.policy.js';
import { newWebhookSecret } from '../../../src/domain/webhooks/webhook.service.js';
import { webhookSignature } from '../../../src/webhooks/webhook-signature.js';

describe('webhook signature', () => {
  it('verifies with the Standard Webhooks library, with each secret of a rotation alone', () => {
    const [current, previous] = [newWebhookSecret(), newWebhookSecret()];
    const id = webhookDeliveryId('w', 'c', 7);
    const timestamp = Math.floor(Date.now() / 1000);
    const body = JSON.stringify({ type: 'message.created', data: { text: 'héllo ✓' } });
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': webhookSignature([current, previous], id, timestamp, body) };
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(current).verify(body.replace('héllo', 'hello'), headers)).toThrow();
    expect(() => new Webhook(current).verify(body, { ...headers, 'webhook-id': webhookDeliveryId('w', 'c', 8) })).toThrow();
  });

  it('gives an event the same delivery id every time, and different events different ones', () => {
    expect(webhookDeliveryId('w', 'c', 1)).toBe(webhookDeliveryId('w', 'c', 1));
    expect(new Set([webhookDeliveryId('w', 'c', 1), webhookDeliveryId('w', 'c', 2), webhookDeliveryId('w2', 'c', 1), webhookDeliveryId('w', 'c2', 1)]).size).toBe(4);
    expect(webhookDeliveryId('w', 'c', 1)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('webhook retries', () => {
  const settings = { baseMs: 5_000, maxMs: 3_600_000, disableAfterMs: 3 * 86_400_000 };

  it('doubles from the base with jitter over the upper half, up to the cap', () => {
    expect(retryDelayMs(1, settings, () => 0)).toBe(2_500);
    expect(retryDelayMs(1, settings, () => 1)).toBe(5_000);
    expect(retryDelayMs(4, settings, () => 1)).toBe(40_000);
    expect(retryDelayMs(4, settings, () => 0)).toBe(20_000);
    expect(retryDelayMs(40, settings, () => 1)).toBe(3_600_000);
    expect(retryDelayMs(40, settings, () => 0)).toBe(1_800_000);
  });

  it('keeps retrying for at least a day before anything is given up', () => {
    // A receiver down for good, every retry as early as the jitter allows: retries until the webhook is disabled.
    let at = 0;
    let failures = 0;
    for (;;) {
      const decision = afterFailure(at, ++failures, 0, 0, settings, () => 0);
      if (decision.disable) break;
      at = decision.nextAttemptAt!;
    }
    expect(at).toBeGreaterThanOrEqual(86_400_000);
    expect(failures).toBeGreaterThan(20);
  });

  it('disables a webhook failing for the period, gives up an event failing that long while others succeed', () => {
    const now = 10 * 86_400_000;
    expect(afterFailure(now, 3, now - settings.disableAfterMs, now - 1_000, settings)).toEqual({ nextAttemptAt: now, disable: true });
    expect(afterFailure(now, 3, null, now - settings.disableAfterMs, settings)).toEqual({ nextAttemptAt: null, disable: false });
    const retry = afterFailure(now, 1, null, null, settings, () => 1);
    expect(retry).toEqual({ nextAttemptAt: now + 5_000, disable: false });
  });
});

describe('webhook URLs', () => {
  const rules = { allowHttp: false, addressAllowed: (address: string) => !address.startsWith('127.') && address !== '::1' };
  const refusal = (url: string, custom = rules) => {
    try {
      validWebhookUrl(url, custom);
    } catch (error) {
      return (error as AppError).code;
    }
    return null;
  };

  it('accepts https URLs as the parser normalizes them', () => {
    expect(validWebhookUrl('HTTPS://Hooks.Example.com:443/a?b=1', rules)).toBe('https://hooks.example.com/a?b=1');
  });

  it('refuses other schemes, credentials, fragments and addresses the egress rules refuse', () => {
    for (const url of ['http://hooks.example.com/', 'ftp://x/', 'javascript:alert(1)', 'https://u:p@x.example/', 'https://x.example/#f', 'https://127.0.0.1/', 'https://[::1]/', 'https://2130706433/', 'nope']) {
      expect({ url, code: refusal(url) }).toEqual({ url, code: 'invalid_webhook_url' });
    }
    expect(refusal('http://hooks.example.com/', { ...rules, allowHttp: true })).toBeNull();
  });
});
