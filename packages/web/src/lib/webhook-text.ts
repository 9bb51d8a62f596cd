/** Outgoing webhooks in words: a webhook's state and a delivery's outcome, as Settings shows them. */
import type { Webhook, WebhookDelivery } from '@pneumatic/client';

/** A date and time in the reader's locale ("12 Mar 2026, 10:31"). */
export function dateTimeLabel(iso: string, locale?: string): string {
  return new Date(iso).toLocaleString(locale, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A delivery's time in the log, kept short: the time to the second today, else the day and time. */
export function logTimeLabel(iso: string, now = new Date(), locale?: string): string {
  const at = new Date(iso);
  if (at.toDateString() === now.toDateString()) return at.toLocaleTimeString(locale, { hour: 'numeric', minute: '2-digit', second: '2-digit' });
  return at.toLocaleString(locale, { month: 'short', day: 'numeric', hour: 'numeric', minute: '2-digit' });
}

/** "Enabled", "Failing since …" (still tried), "Disabled (by you)" or "Disabled (kept failing)". */
export function webhookStatus(webhook: Webhook, locale?: string): { text: string; tone: 'ok' | 'warn' | 'off' } {
  if (!webhook.enabled) return { text: webhook.disabled_reason === 'failing' ? 'Disabled (kept failing)' : 'Disabled (by you)', tone: 'off' };
  if (webhook.failing_since !== null) return { text: `Failing since ${dateTimeLabel(webhook.failing_since, locale)}`, tone: 'warn' };
  return { text: 'Enabled', tone: 'ok' };
}

/**
 * What the receiver answered last and how long it took: its HTTP status, or why none came
 * ("timeout", "connection"…), then the latency ("204, 24 ms"); a dash before any attempt ended.
 */
export function deliveryResponse(delivery: WebhookDelivery): string {
  const answer = delivery.response_status !== null ? String(delivery.response_status) : (delivery.error ?? '—');
  return delivery.latency_ms === null ? answer : `${answer}, ${delivery.latency_ms} ms`;
}

/** "delivered", "retrying", "failed", with "redelivery requested" while one is queued. */
export function deliveryStatus(delivery: WebhookDelivery): string {
  return delivery.redelivery_requested ? `${delivery.status}, redelivery requested` : delivery.status;
}
