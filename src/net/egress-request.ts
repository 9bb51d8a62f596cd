/**
 * One outgoing HTTP request to a user-supplied URL, with the bounds every such request needs
 * (docs/architecture.md, "Outgoing requests"): http: and https: only, the address policy of the
 * agents, one deadline for the whole exchange, a cap on the response body, and no redirects.
 */
import http from 'node:http';
import https from 'node:https';
import type { EgressAgents } from './egress-agents.js';
import { EgressError, EgressRefused, EgressTimeout } from './egress-errors.js';

export interface EgressRequestOptions {
  /** From createEgressAgents, shared by the process: they check addresses and bound each origin. */
  readonly agents: EgressAgents;
  /** GET when absent. */
  readonly method?: string;
  readonly headers?: http.OutgoingHttpHeaders;
  /** Sent with its Content-Length. */
  readonly body?: string | Uint8Array;
  /** Deadline for the whole request: waiting for a free connection, connecting, sending and reading the response. agents.defaults.timeoutMs when absent. */
  readonly timeoutMs?: number;
  /** Most response body bytes kept; the rest is not read (the connection is closed). agents.defaults.maxResponseBytes when absent. */
  readonly maxResponseBytes?: number;
}

export interface EgressResponse {
  /** The status as received; a 3xx is returned as is, never followed. */
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** At most maxResponseBytes of the body. */
  readonly body: Buffer;
  /** True when the body was longer than maxResponseBytes and was cut there. */
  readonly truncated: boolean;
}

function parseTarget(url: string | URL): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new EgressRefused('scheme', 'not an http: or https: URL');
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new EgressRefused('scheme', `${target.protocol} URLs are not requested, only http: and https:`);
  }
  return target;
}

/**
 * Sends one request and reads its response within `timeoutMs`. Resolves with any status the
 * receiver answers, 3xx included: redirects are not followed, since a redirect could lead to a
 * URL the caller never validated, and a receiver that moved should be given its new URL.
 * Rejects with EgressRefused (scheme or address: nothing was sent; do not retry), EgressTimeout,
 * or EgressError (DNS, connection, TLS, a response cut short: retry later).
 */
export async function egressRequest(url: string | URL, options: EgressRequestOptions): Promise<EgressResponse> {
  const target = parseTarget(url);
  const timeoutMs = options.timeoutMs ?? options.agents.defaults.timeoutMs;
  const maxResponseBytes = options.maxResponseBytes ?? options.agents.defaults.maxResponseBytes;
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const headers: http.OutgoingHttpHeaders = { ...options.headers };
  if (body !== undefined) headers['content-length'] = body.byteLength;

  const send = target.protocol === 'https:' ? https.request : http.request;
  const agent = target.protocol === 'https:' ? options.agents.https : options.agents.http;
  let request: http.ClientRequest;
  try {
    request = send(target, { method: options.method ?? 'GET', headers, agent });
  } catch (error) {
    // A method or header value node:http refuses: the caller's mistake, reported as the rest are.
    throw new EgressError(describe(error), { cause: error });
  }

  return new Promise<EgressResponse>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      outcome();
    };
    const fail = (error: unknown) =>
      settle(() => reject(error instanceof EgressError ? error : new EgressError(describe(error), { cause: error })));

    const deadline = setTimeout(() => {
      const error = new EgressTimeout(timeoutMs);
      fail(error);
      // Destroying the request closes its connection (or takes it out of the agent's queue),
      // so the origin's slot is free for the next request.
      request.destroy(error);
    }, timeoutMs);

    request.on('error', fail);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const finish = (truncated: boolean) =>
        settle(() => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks, length), truncated }));
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        if (length + chunk.length <= maxResponseBytes) {
          chunks.push(chunk);
          length += chunk.length;
          return;
        }
        chunks.push(chunk.subarray(0, maxResponseBytes - length));
        length = maxResponseBytes;
        finish(true);
        // The rest is never read: closing the connection is cheaper than draining it.
        response.destroy();
      });
      response.on('end', () => finish(false));
      response.on('error', fail);
      response.on('close', () => {
        if (!response.complete) fail(new EgressError('the response ended before its body was complete'));
      });
    });
    request.end(body);
  });
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'request failed';
  const code = (error as NodeJS.ErrnoException).code;
  return code === undefined ? error.message : `${code}: ${error.message}`;
}
