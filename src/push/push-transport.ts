/**
 * One push request to a push service (RFC 8030, section 5), encrypted (RFC 8291, aes128gcm) and
 * signed (RFC 8292) by `web-push`, sent through the egress module (src/net/) rather than by
 * web-push's `sendNotification`, which speaks https only, bounds nothing but socket idleness and
 * reads whatever body a service sends. Here: one deadline for the whole exchange, the answer's
 * body capped and never kept, keep-alive connections bounded per service, and addresses outside
 * the outgoing-request rules refused after DNS (an endpoint is whatever a client posted).
 */
import webpush from 'web-push';
import type { PushAttempt } from '../domain/push/push-retry.policy.js';
import { createEgressAgents, egressRequest, EgressRefused, type EgressAgents, type EgressOptions } from '../net/egress.js';

export interface PushRequestInput {
  endpoint: string;
  p256dh: string;
  auth: string;
  payload: string;
  ttlSeconds: number;
  urgency: 'normal' | 'high';
  topic: string;
  /** The VAPID `Authorization` header for the endpoint's origin (vapid.ts). */
  authorization: string;
}

export class PushTransport {
  private readonly agents: EgressAgents;

  /** `options`: push's egress options (push-egress.ts): the address rules, deadline and per-service bound. */
  constructor(options: EgressOptions) {
    this.agents = createEgressAgents(options);
  }

  /** Sends one push; never rejects: a failure is an attempt of kind `failed` (retried) or `unsendable` (dropped). */
  send(input: PushRequestInput, signal?: AbortSignal): Promise<PushAttempt> {
    let details: webpush.RequestDetails;
    try {
      details = webpush.generateRequestDetails({ endpoint: input.endpoint, keys: { p256dh: input.p256dh, auth: input.auth } }, input.payload, {
        TTL: input.ttlSeconds,
        urgency: input.urgency,
        topic: input.topic,
        contentEncoding: 'aes128gcm',
        headers: { Authorization: input.authorization },
      });
    } catch (error) {
      // Keys that cannot encrypt (validated at subscribe time, so a stored row was tampered with).
      return Promise.resolve({ kind: 'unsendable', error: `cannot encrypt for this subscription: ${(error as Error).message}` });
    }
    const sent = this.post(details);
    if (!signal) return sent;
    // Stopping does not wait for a slow service: the request ends at its deadline or when the agents close.
    return new Promise<PushAttempt>((resolve) => {
      const onAbort = () => resolve({ kind: 'failed', error: 'aborted: the server is stopping' });
      signal.addEventListener('abort', onAbort, { once: true });
      void sent.then((attempt) => {
        signal.removeEventListener('abort', onAbort);
        resolve(attempt);
      });
    });
  }

  private async post(details: webpush.RequestDetails): Promise<PushAttempt> {
    try {
      const response = await egressRequest(details.endpoint, { agents: this.agents, method: 'POST', headers: details.headers, body: details.body ?? undefined });
      const retryAfter = response.headers['retry-after'];
      return { kind: 'answered', status: response.status, retryAfter: typeof retryAfter === 'string' ? retryAfter : null };
    } catch (error) {
      // A refused address or scheme cannot become sendable by retrying; anything else may.
      if (error instanceof EgressRefused) return { kind: 'unsendable', error: error.message };
      const code = (error as { cause?: { code?: string } }).cause?.code;
      return { kind: 'failed', error: code ? `${code}: ${(error as Error).message}` : (error as Error).message };
    }
  }

  close(): void {
    this.agents.destroy();
  }
}
