/**
 * How an outgoing request fails, typed so the caller can choose between retrying and dropping:
 * EgressRefused will fail the same way every time (drop, or tell whoever gave the URL);
 * EgressTimeout and any other EgressError may succeed later (retry with backoff).
 * Messages name the URL's host and the address, never a body or header; they are for logs only.
 */

/** Any failure of an outgoing request: DNS, connection refused or reset, TLS, a response cut short. */
export class EgressError extends Error {
  override readonly name: string = 'EgressError';
}

/**
 * `scheme`: the URL is not http: or https: (or not a URL). `address`: the host is, or resolves to,
 * an address the address policy refuses (src/net/address-policy.ts). Nothing was sent.
 */
export type EgressRefusalReason = 'scheme' | 'address';

/** The request was not made, and would not be made on a retry with the same settings. */
export class EgressRefused extends EgressError {
  override readonly name = 'EgressRefused';

  constructor(
    readonly reason: EgressRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** No complete response within the request's deadline (connecting, waiting for a socket, and reading included). */
export class EgressTimeout extends EgressError {
  override readonly name = 'EgressTimeout';

  constructor(readonly timeoutMs: number) {
    super(`no complete response within ${timeoutMs} ms`);
  }
}
