/**
 * Where pushes may go: the egress module's rules (docs/architecture.md, "Outgoing requests"),
 * with push's own bounds. An endpoint is whatever a client posted, so a push is refused the
 * server's own network like any outgoing request; PUSH_ALLOW_INSECURE_ENDPOINTS (a test setting)
 * adds loopback, and only loopback, to the addresses allowed.
 */
import type { Config } from '../config/config.js';
import { AddressPolicy, egressOptionsFrom, type EgressOptions } from '../net/egress.js';

const LOOPBACK = ['127.0.0.0/8', '::1/128'];

export function pushEgressOptions(config: Config): EgressOptions {
  const egress = egressOptionsFrom(config);
  return {
    ...egress,
    allowedHosts: config.PUSH_ALLOW_INSECURE_ENDPOINTS ? [...egress.allowedHosts, ...LOOPBACK] : egress.allowedHosts,
    maxSocketsPerOrigin: config.PUSH_CONCURRENCY_PER_ORIGIN,
    timeoutMs: config.PUSH_TIMEOUT_MS,
    // A push service answers with a status and at most a short text; nothing of it is kept.
    maxResponseBytes: 4096,
  };
}

/** Whether a push endpoint written as an IP address may be subscribed (checked again, after DNS, when a push is sent). */
export function pushAddressAllowed(config: Config): (address: string) => boolean {
  const policy = new AddressPolicy(pushEgressOptions(config));
  return (address) => policy.refusal(address) === null;
}
