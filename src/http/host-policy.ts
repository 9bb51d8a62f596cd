/**
 * Which `Host` names this server answers to, and which origins are its own. A browser tricked by
 * DNS rebinding sends the attacker's name in `Host` (and `Origin`), so a server must not take its
 * identity from the request: only names it knows are accepted, as Vite's `server.allowedHosts`
 * does. IP addresses and `localhost` (RFC 6761 §6.3) cannot be rebound and are always accepted.
 */
import { isIP } from 'node:net';
import type { Config } from '../config/config.js';

/** A Host header: a registered name, an IPv4 address or a bracketed IPv6 address, and an optional port (RFC 9110 §7.2). */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::\d{1,5})?$/i;

/** Distinct Host values whose verdict is remembered. */
const JUDGED_MAX = 64;
/** Longer than any real name with a port (RFC 1035 §2.3.4: 253 characters): judged each time. */
const JUDGED_HOST_MAX_CHARS = 260;

const LOOPBACK_LISTEN = /^(localhost|127(?:\.\d{1,3}){3}|::1|\[::1\])$/i;

export interface HostPolicy {
  /** False when the server listens beyond loopback with neither PUBLIC_URL nor ALLOWED_HOSTS: then any name is accepted. */
  readonly restricted: boolean;
  /** Whether the server answers to this Host header (absent, as in HTTP/1.0: yes). */
  isAllowed(host: string | undefined): boolean;
  /** The origins that count as the server's own: PUBLIC_URL when set, else this scheme with this Host when allowed. */
  ownOrigins(host: string | undefined, protocol: 'http' | 'https'): string[];
}

function hostName(host: string): string | null {
  const match = HOST_HEADER.exec(host);
  if (!match) return null;
  const name = match[1]!.toLowerCase();
  return name.startsWith('[') ? name.slice(1, -1) : name.replace(/\.$/, '');
}

function listed(name: string, allowed: readonly string[]): boolean {
  return allowed.some((entry) => entry === '*' || entry === name || (entry.startsWith('.') && (name === entry.slice(1) || name.endsWith(entry))));
}

export function createHostPolicy(config: Pick<Config, 'HOST' | 'PUBLIC_URL' | 'ALLOWED_HOSTS'>): HostPolicy {
  const publicName = config.PUBLIC_URL === null ? null : new URL(config.PUBLIC_URL).hostname.replace(/^\[|\]$/g, '');
  const restricted = LOOPBACK_LISTEN.test(config.HOST) || config.PUBLIC_URL !== null || config.ALLOWED_HOSTS.length > 0;
  // Clients send the same few Host values on every request: each is judged once. Bounded in
  // count and length, so a client cycling through names costs the full check, never memory.
  const judged = new Map<string, boolean>();
  const isAllowed = (host: string | undefined): boolean => {
    if (host === undefined) return true;
    let allowed = judged.get(host);
    if (allowed === undefined) {
      allowed = judge(host);
      if (host.length > JUDGED_HOST_MAX_CHARS) return allowed;
      if (judged.size >= JUDGED_MAX) judged.clear();
      judged.set(host, allowed);
    }
    return allowed;
  };
  const judge = (host: string): boolean => {
    const name = hostName(host);
    if (name === null) return false;
    if (!restricted || isIP(name) !== 0 || name === 'localhost' || name.endsWith('.localhost')) return true;
    return name === publicName || listed(name, config.ALLOWED_HOSTS);
  };
  return {
    restricted,
    isAllowed,
    ownOrigins(host, protocol) {
      // Configured, the public origin is the only one: never derived from the request.
      if (config.PUBLIC_URL !== null) return [config.PUBLIC_URL];
      if (host === undefined || hostName(host) === null || !isAllowed(host)) return [];
      try {
        return [new URL(`${protocol}://${host}`).origin];
      } catch {
        // A port out of range: no origin of ours.
        return [];
      }
    },
  };
}
