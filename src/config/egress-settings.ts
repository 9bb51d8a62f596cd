/**
 * The settings of outgoing requests to user-supplied URLs (Web Push endpoints, webhooks;
 * docs/architecture.md, "Outgoing requests"), a part of config.ts's one table kept in a file of
 * its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import { ConfigValueError, integer, onOff, type Parser } from './value-parsers.js';

const HOST_NAME = /^\.?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/;

/** Comma-separated host names (`.example.com` for it and its subdomains), IP addresses and CIDR blocks. */
export const egressAllowedHosts: Parser<readonly string[]> = (raw) => {
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  for (const entry of list) {
    if (isIP(entry) !== 0 || HOST_NAME.test(entry)) continue;
    if (entry.includes('/') && ipaddr.isValidCIDR(entry)) continue;
    throw new ConfigValueError(`"${entry}" is not a host name, IP address or CIDR block such as ci.internal, .corp.example, 10.1.2.3 or 10.8.0.0/16 (no scheme or port)`);
  }
  return Object.freeze(list);
};

export const EGRESS_SETTINGS = {
  EGRESS_ALLOW_PRIVATE_ADDRESSES: {
    default: 'off',
    doc: 'Outgoing requests (Web Push, webhooks): on lets them reach private addresses (loopback, RFC 1918, CGNAT, link-local, unique-local, ...), for tests with receivers on loopback or a deployment whose receivers are on its private network on purpose; off refuses them, checked on every address a host name resolves to, at connect time. 0.0.0.0, ::, broadcast and multicast are refused even when on.',
    parse: onOff,
  },
  EGRESS_ALLOWED_HOSTS: {
    default: '',
    doc: 'Comma-separated host names (".example.com" covers it and its subdomains), IP addresses and CIDR blocks that outgoing requests may reach even when private (e.g. ci.internal or 10.8.0.0/16 for an internal CI server); the rest stays refused.',
    parse: egressAllowedHosts,
  },
  EGRESS_TIMEOUT_MS: {
    default: '10000',
    doc: 'Outgoing requests: deadline for the whole request (waiting for a connection, connecting, sending, reading the response), unless the caller sets its own.',
    parse: integer(100, 600_000),
  },
  EGRESS_MAX_RESPONSE_BYTES: {
    default: '65536',
    doc: 'Outgoing requests: most bytes of a response body read; the rest is not read and the connection is closed.',
    parse: integer(0, 64 * 1024 * 1024),
  },
  EGRESS_MAX_SOCKETS_PER_ORIGIN: {
    default: '4',
    doc: 'Outgoing requests: connections open at once to one origin (scheme, host, port), per process; more requests to it wait their turn, so a slow receiver holds at most this many and slows nothing else.',
    parse: integer(1, 1000),
  },
} as const;
