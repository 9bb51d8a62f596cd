/**
 * One push request to a push service (RFC 8030, section 5), encrypted (RFC 8291, aes128gcm) and
 * signed (RFC 8292) by `web-push`, sent by this module rather than by web-push's
 * `sendNotification`, which speaks https only, bounds nothing but socket idleness and reads
 * whatever body a service sends. Here: one deadline for the whole exchange, the answer's body
 * drained but never kept, keep-alive connections per service, and host names that resolve to a
 * non-public address refused (an endpoint is whatever a client posted).
 */
import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import webpush from 'web-push';
import { isPushableAddress } from '../domain/push/endpoint-address.js';
import type { PushAttempt } from '../domain/push/push-retry.policy.js';

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

/** How long an answer's body may take to drain once its status is known, before its connection is dropped. */
const DRAIN_MS = 1000;

/** A lookup that only answers public addresses (and loopback with the test setting). */
function pushableLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true } as LookupAllOptions, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const usable = addresses.filter((a) => isPushableAddress(a.address, allowLoopback));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves to no public address`), { code: 'ENOTPUBLIC' });
        return callback(refused, '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      return callback(null, usable[0]!.address, usable[0]!.family);
    });
  };
}

export class PushTransport {
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent: http.Agent;

  constructor(
    private readonly options: { timeoutMs: number; perOrigin: number; allowLoopback: boolean },
  ) {
    const agentOptions = { keepAlive: true, maxSockets: options.perOrigin, lookup: pushableLookup(options.allowLoopback) };
    this.httpsAgent = new https.Agent(agentOptions);
    this.httpAgent = new http.Agent(agentOptions);
  }

  /** Sends one push; never rejects: a failure is an attempt of kind `failed`. */
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
    return this.post(details, signal);
  }

  private post(details: webpush.RequestDetails, signal?: AbortSignal): Promise<PushAttempt> {
    const url = new URL(details.endpoint);
    const secure = url.protocol === 'https:';
    return new Promise<PushAttempt>((resolve) => {
      let settled = false;
      const finish = (attempt: PushAttempt) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        signal?.removeEventListener('abort', onAbort);
        resolve(attempt);
      };
      const request = (secure ? https : http).request(url, { method: 'POST', headers: details.headers, agent: secure ? this.httpsAgent : this.httpAgent }, (response) => {
        const retryAfter = response.headers['retry-after'];
        finish({ kind: 'answered', status: response.statusCode ?? 0, retryAfter: typeof retryAfter === 'string' ? retryAfter : null });
        const drain = setTimeout(() => response.destroy(), DRAIN_MS);
        response.on('close', () => clearTimeout(drain));
        response.resume();
      });
      const deadline = setTimeout(() => {
        request.destroy();
        finish({ kind: 'failed', error: `no answer within ${this.options.timeoutMs} ms` });
      }, this.options.timeoutMs);
      const onAbort = () => {
        request.destroy();
        finish({ kind: 'failed', error: 'aborted: the server is stopping' });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) => finish({ kind: 'failed', error: error.code ? `${error.code}: ${error.message}` : error.message }));
      request.end(details.body ?? undefined);
    });
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}
