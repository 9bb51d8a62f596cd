/**
 * One attempt at delivering one event to one webhook: a signed POST through the egress module
 * (docs/architecture.md, "Outgoing requests": no private addresses unless allowed, one deadline,
 * a capped response that is never kept, no redirects). Any 2xx is a delivery; everything else
 * (another status, a redirect, a timeout, a refused address, a failed connection) is a failure
 * the lane retries.
 */
import { egressRequest, EgressRefused, EgressTimeout, type EgressAgents } from '../net/egress.js';
import { webhookSignature } from './webhook-signature.js';

export interface AttemptOutcome {
  ok: boolean;
  response_status: number | null;
  /** 'status', 'redirect', 'timeout', 'refused_address', 'connection'; null when delivered. */
  error: string | null;
  latency_ms: number;
}

export interface WebhookRequest {
  url: string;
  secrets: readonly string[];
  /** The `webhook-id`: the same on every attempt at this event. */
  id: string;
  body: string;
}

export type SendWebhook = (request: WebhookRequest) => Promise<AttemptOutcome>;

const USER_AGENT = 'Pneumatic-Webhooks/1';

export function webhookSender(agents: EgressAgents, timeoutMs: number): SendWebhook {
  return async ({ url, secrets, id, body }) => {
    const started = performance.now();
    const timestamp = Math.floor(Date.now() / 1000);
    const latency = () => Math.round(performance.now() - started);
    try {
      const response = await egressRequest(url, {
        agents,
        method: 'POST',
        timeoutMs,
        // Only the status matters; a receiver's page is not kept.
        maxResponseBytes: 1024,
        headers: {
          'content-type': 'application/json',
          'user-agent': USER_AGENT,
          'webhook-id': id,
          'webhook-timestamp': String(timestamp),
          'webhook-signature': webhookSignature(secrets, id, timestamp, body),
        },
        body,
      });
      const ok = response.status >= 200 && response.status < 300;
      const error = ok ? null : response.status >= 300 && response.status < 400 ? 'redirect' : 'status';
      return { ok, response_status: response.status, error, latency_ms: latency() };
    } catch (error) {
      const kind = error instanceof EgressTimeout ? 'timeout' : error instanceof EgressRefused ? 'refused_address' : 'connection';
      return { ok: false, response_status: null, error: kind, latency_ms: latency() };
    }
  };
}
