/**
 * Which URLs a webhook may be subscribed to (docs/API.md, "Outgoing webhooks"): https:// (http://
 * only under WEBHOOK_ALLOW_HTTP, a test setting), no credentials in it (the signature is the
 * receiver's proof), and, when the host is written as an IP address, one the outgoing-request
 * rules allow. A host name is checked after DNS, at every connection (src/net), since what it
 * resolves to can change after this check. A refusal is 400 invalid_webhook_url.
 */
import { isIP } from 'node:net';
import { AppError } from '../errors.js';

export interface WebhookUrlRules {
  allowHttp: boolean;
  /** The outgoing-request rules for an address (EGRESS_ALLOW_PRIVATE_ADDRESSES, EGRESS_ALLOWED_HOSTS). */
  addressAllowed: (address: string) => boolean;
}

function refuse(detail: string): never {
  throw new AppError('invalid_webhook_url', `url ${detail}.`, { errors: [{ pointer: '/url', detail }] });
}

/** The URL as it will be requested (normalized by the URL parser), or a 400. */
export function validWebhookUrl(input: string, rules: WebhookUrlRules): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    refuse('is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && rules.allowHttp)) {
    refuse(rules.allowHttp ? 'must be https:// or http://' : 'must be https://');
  }
  if (url.username !== '' || url.password !== '') refuse('must not hold credentials; receivers check the signature');
  if (url.hash !== '') refuse('must not have a fragment');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host === '') refuse('has no host');
  if (isIP(host) !== 0 && !rules.addressAllowed(host)) refuse('is on an address outgoing requests may not reach (private, loopback, link-local or metadata)');
  return url.href;
}
