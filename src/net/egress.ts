/**
 * The one way to send an HTTP request to a URL a user supplied (Web Push endpoints, webhooks):
 * docs/architecture.md, "Outgoing requests". Make the agents once per process from the EGRESS_*
 * settings, share them, and send with egressRequest, or hand `agents.https` to a library as its
 * `agent`. Refused addresses, the deadline, the body cap and the per-origin bound live behind this.
 */
export { createEgressAgents, egressOptionsFrom, type EgressAgents, type EgressOptions, type LookupFunction } from './egress-agents.js';
export { egressRequest, type EgressRequestOptions, type EgressResponse } from './egress-request.js';
export { EgressError, EgressRefused, EgressTimeout, type EgressRefusalReason } from './egress-errors.js';
export { classifyAddress, type AddressClass, type AddressClassification } from './address-policy.js';
