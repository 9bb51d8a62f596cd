import dns from 'node:dns';
import { isIP } from 'node:net';
import type { LookupFunction } from './egress-agents.js';

/** A hosts file for the egress agents: listed names resolve as given, others through dns.lookup (tests map names to addresses with it). */
export function hostsLookup(hosts: Record<string, string[]>): LookupFunction {
  return (hostName, options, callback) => {
    const addresses = hosts[hostName];
    if (addresses === undefined) return dns.lookup(hostName, options, callback);
    const entries = addresses.map((address) => ({ address, family: isIP(address) }));
    if (options.all) callback(null, entries);
    else callback(null, entries[0]!.address, entries[0]!.family);
  };
}
