/**
 * The http and https Agents every outgoing request to a user-supplied URL goes through
 * (docs/architecture.md, "Outgoing requests"). The address check sits where the socket is made:
 * an address written in the URL is checked before connecting, and a host name is checked inside
 * the `lookup` that net.connect calls, on the very addresses it is about to connect to. There is
 * no earlier, separate resolution a DNS answer could change before the connection (DNS rebinding).
 * The technique is request-filtering-agent's; the policy is ours (src/net/address-policy.ts).
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from '../config/config.js';
import { AddressPolicy } from './address-policy.js';
import { EgressRefused } from './egress-errors.js';

export type { LookupFunction };

/** Everything the egress module is configured with; `egressOptionsFrom(config)` reads the EGRESS_* settings. */
export interface EgressOptions {
  /** EGRESS_ALLOW_PRIVATE_ADDRESSES: private addresses allowed (tests, receivers on a private network on purpose). */
  readonly allowPrivateAddresses: boolean;
  /** EGRESS_ALLOWED_HOSTS: host names, addresses and CIDR blocks allowed even when private. */
  readonly allowedHosts: readonly string[];
  /** EGRESS_MAX_SOCKETS_PER_ORIGIN: connections open at once to one origin; more requests wait for one. */
  readonly maxSocketsPerOrigin: number;
  /** EGRESS_TIMEOUT_MS: egressRequest's default deadline. */
  readonly timeoutMs: number;
  /** EGRESS_MAX_RESPONSE_BYTES: egressRequest's default cap on a response body. */
  readonly maxResponseBytes: number;
  /** Resolves host names; dns.lookup when absent. Tests map names to addresses with it. */
  readonly lookup?: LookupFunction;
  /** Certificate authorities to trust instead of the usual ones: tests, with a receiver's self-signed certificate. */
  readonly ca?: string | Buffer;
}

/** The pair of Agents, made once per process and shared, so the per-origin bound holds across callers. */
export interface EgressAgents {
  readonly http: http.Agent;
  readonly https: https.Agent;
  /** What egressRequest uses when a call gives no timeoutMs or maxResponseBytes of its own. */
  readonly defaults: { readonly timeoutMs: number; readonly maxResponseBytes: number };
  /** Closes every pooled connection (shutdown). */
  destroy(): void;
}

/** The EGRESS_* settings as options for createEgressAgents. */
export function egressOptionsFrom(
  config: Pick<Config, 'EGRESS_ALLOW_PRIVATE_ADDRESSES' | 'EGRESS_ALLOWED_HOSTS' | 'EGRESS_MAX_SOCKETS_PER_ORIGIN' | 'EGRESS_TIMEOUT_MS' | 'EGRESS_MAX_RESPONSE_BYTES'>,
): EgressOptions {
  return {
    allowPrivateAddresses: config.EGRESS_ALLOW_PRIVATE_ADDRESSES,
    allowedHosts: config.EGRESS_ALLOWED_HOSTS,
    maxSocketsPerOrigin: config.EGRESS_MAX_SOCKETS_PER_ORIGIN,
    timeoutMs: config.EGRESS_TIMEOUT_MS,
    maxResponseBytes: config.EGRESS_MAX_RESPONSE_BYTES,
  };
}

// An idle kept-alive connection is closed after this long (Node's global agent keeps 5 s too);
// it only applies to pooled sockets: a request's own deadline is egressRequest's.
const IDLE_SOCKET_MS = 5_000;

interface ConnectOptions {
  host?: string | null | undefined;
  path?: string | null | undefined;
  socketPath?: string | undefined;
  lookup?: LookupFunction | undefined;
}

type Guard = <T extends ConnectOptions>(options: T) => T | EgressRefused;

function refusedAddress(why: string): EgressRefused {
  return new EgressRefused('address', `refused to connect: ${why}`);
}

/** A lookup that fails, naming the address, when any address the name resolves to is refused. */
function checkedLookup(policy: AddressPolicy, lookup: LookupFunction): LookupFunction {
  return (hostName, options, callback) => {
    lookup(hostName, options, (error, result, family) => {
      if (error) return callback(error, result, family);
      // With `all` (net's autoSelectFamily, on by default), net may try any of them: check each.
      const addresses = Array.isArray(result) ? result.map((r) => r.address) : [result];
      for (const address of addresses) {
        const why = policy.refusal(address, hostName);
        if (why !== null) return callback(refusedAddress(why), result, family);
      }
      callback(null, result, family);
    });
  };
}

function connectGuard(policy: AddressPolicy, lookup: LookupFunction): Guard {
  const guardedLookup = checkedLookup(policy, lookup);
  return (options) => {
    // A Unix socket has no address to check; nothing built from a URL asks for one.
    if (options.socketPath || options.path) return refusedAddress('a Unix socket path');
    const host = options.host ?? 'localhost';
    if (isIP(host) !== 0) {
      // net.connect does not call lookup for an address, so it is checked here.
      const why = policy.refusal(host);
      return why === null ? options : refusedAddress(why);
    }
    return { ...options, lookup: guardedLookup };
  };
}

type ConnectCallback = (error: Error | null, socket: Duplex) => void;

function refuse(error: EgressRefused, callback: ConnectCallback | undefined): undefined {
  if (callback === undefined) throw error;
  // The agent hands the error to the request, which emits it; no socket was made or counted.
  callback(error, undefined as unknown as Duplex);
  return undefined;
}

class EgressHttpAgent extends http.Agent {
  constructor(
    options: http.AgentOptions,
    private readonly guard: Guard,
  ) {
    super(options);
  }

  override createConnection(options: http.ClientRequestArgs, callback?: ConnectCallback): Duplex | null | undefined {
    const guarded = this.guard(options);
    if (guarded instanceof EgressRefused) return refuse(guarded, callback);
    return super.createConnection(guarded, callback);
  }
}

class EgressHttpsAgent extends https.Agent {
  constructor(
    options: https.AgentOptions,
    private readonly guard: Guard,
  ) {
    super(options);
  }

  override createConnection(options: https.RequestOptions, callback?: ConnectCallback): Duplex | null | undefined {
    const guarded = this.guard(options);
    if (guarded instanceof EgressRefused) return refuse(guarded, callback);
    return super.createConnection(guarded, callback);
  }
}

/**
 * Agents that refuse disallowed addresses at connect time, keep connections alive, and open at
 * most `maxSocketsPerOrigin` connections to one origin (host and port), so a receiver that
 * hangs holds that many and the rest of the process's requests go on. Pass `agents.https` as
 * web-push's `agent` option, or both to egressRequest.
 */
export function createEgressAgents(options: EgressOptions): EgressAgents {
  const policy = new AddressPolicy(options);
  const guard = connectGuard(policy, options.lookup ?? (dns.lookup as LookupFunction));
  const pooling = {
    keepAlive: true,
    maxSockets: options.maxSocketsPerOrigin,
    maxFreeSockets: options.maxSocketsPerOrigin,
    timeout: IDLE_SOCKET_MS,
    scheduling: 'lifo' as const,
  };
  const httpAgent = new EgressHttpAgent(pooling, guard);
  const httpsAgent = new EgressHttpsAgent(options.ca === undefined ? pooling : { ...pooling, ca: options.ca }, guard);
  return {
    http: httpAgent,
    https: httpsAgent,
    defaults: { timeoutMs: options.timeoutMs, maxResponseBytes: options.maxResponseBytes },
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
