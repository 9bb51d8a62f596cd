/**
 * Which addresses an outgoing request may connect to (docs/architecture.md, "Outgoing requests").
 * The range tables are ipaddr.js's (the IANA special-purpose address registries, RFC 6890 and
 * successors); this file only says which of its named ranges count as public, and reads the IPv4
 * address inside the IPv6 forms that carry one, so `::ffff:127.0.0.1` is loopback, not IPv6.
 */
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * public: any request may connect. private: only with EGRESS_ALLOW_PRIVATE_ADDRESSES or a match
 * in EGRESS_ALLOWED_HOSTS. never: not even then (no receiver lives there: 0.0.0.0 and :: reach
 * this machine itself, and broadcast or multicast cannot carry a TCP connection).
 */
export type AddressClass = 'public' | 'private' | 'never';

export interface AddressClassification {
  readonly class: AddressClass;
  /** ipaddr.js's name of the range (`loopback`, `private`, `linkLocal`, `uniqueLocal`, ...), for messages and logs. */
  readonly range: string;
}

const NEVER_RANGES = new Set(['unspecified', 'broadcast', 'multicast']);
// Only 2000::/3 is allocated for global unicast (RFC 4291, section 2.4); ipaddr.js calls whatever
// no special range claims "unicast", including unallocated space and IPv4-compatible ::/96.
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
// RFC 6052, section 2.1: the well-known NAT64 prefix with the IPv4 address in the last 32 bits.
// Section 3.1 forbids it for non-global IPv4, so such an address is refused as that IPv4 would be.
// The local-use prefix 64:ff9b:1::/48 (RFC 8215) belongs to a private network and is private.
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

function classifyV4(address: ipaddr.IPv4): AddressClassification {
  const range = address.range();
  if (range === 'unicast') return { class: 'public', range };
  return { class: NEVER_RANGES.has(range) ? 'never' : 'private', range };
}

/** The IPv4 address an IPv4-mapped (`::ffff:a.b.c.d`) or well-known NAT64 address stands for. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | null {
  // ipaddr.js also reads the deprecated `::a.b.c.d` as mapped; either way its IPv4 part decides.
  if (address.isIPv4MappedAddress()) return address.toIPv4Address();
  if (address.match(NAT64_WELL_KNOWN)) {
    const [high, low] = [address.parts[6]!, address.parts[7]!];
    return new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  }
  return null;
}

/** What kind of destination `address` (an IP address as connect() takes it) is. */
export function classifyAddress(address: string): AddressClassification {
  if (isIP(address) === 0) return { class: 'never', range: 'not an IP address' };
  const parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv4') return classifyV4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const inner = embeddedIPv4(v6);
  if (inner !== null) {
    const classified = classifyV4(inner);
    return { class: classified.class, range: `${v6.range()} ${classified.range}` };
  }
  const range = v6.range();
  if (NEVER_RANGES.has(range)) return { class: 'never', range };
  if (range === 'unicast' && v6.match(GLOBAL_UNICAST_V6)) return { class: 'public', range };
  // 6to4 and Teredo also carry an IPv4 address, through relays a request cannot vouch for: private.
  return { class: 'private', range: range === 'unicast' ? 'unallocated' : range };
}

export interface AddressPolicyOptions {
  /** EGRESS_ALLOW_PRIVATE_ADDRESSES: every private address is allowed (tests, private networks on purpose). */
  readonly allowPrivateAddresses: boolean;
  /**
   * EGRESS_ALLOWED_HOSTS: host names (`ci.internal`; `.corp.example` covers it and its subdomains) whose
   * addresses are allowed even when private, and addresses or CIDR blocks (`10.1.2.3`, `10.8.0.0/16`)
   * allowed whatever name led to them.
   */
  readonly allowedHosts: readonly string[];
}

type Cidr = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** An address or CIDR block in EGRESS_ALLOWED_HOSTS, or null when the entry is a host name. */
export function parseAllowedBlock(entry: string): Cidr | null {
  if (isIP(entry) !== 0) {
    const address = ipaddr.process(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  }
  if (!entry.includes('/')) return null;
  const [address, bits] = ipaddr.parseCIDR(entry);
  // An IPv4-mapped block allows what the IPv4 block would: addresses are compared unmapped.
  if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return [(address as ipaddr.IPv6).toIPv4Address(), bits - 96];
  }
  return [address, bits];
}

function normalizeHostName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

/** The verdict on each address a connection would use: null to allow it, or why it is refused. */
export class AddressPolicy {
  private readonly blocks: Cidr[] = [];
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];

  constructor(private readonly options: AddressPolicyOptions) {
    for (const raw of options.allowedHosts) {
      const entry = normalizeHostName(raw);
      if (entry === '') continue;
      const block = parseAllowedBlock(entry);
      if (block !== null) this.blocks.push(block);
      else if (entry.startsWith('.')) this.suffixes.push(entry);
      else this.names.add(entry);
    }
  }

  /**
   * Null when a connection to `address` may be made, else the reason. `hostName` is the name the
   * address was resolved from (absent for an address written in the URL).
   */
  refusal(address: string, hostName?: string): string | null {
    const classified = classifyAddress(address);
    if (classified.class === 'public') return null;
    const shown = hostName === undefined ? address : `${hostName} (${address})`;
    if (classified.class === 'never') return `${shown} is a ${classified.range} address, never a receiver`;
    if (this.options.allowPrivateAddresses || this.allowsName(hostName) || this.allowsAddress(address)) return null;
    return `${shown} is a ${classified.range} address; EGRESS_ALLOWED_HOSTS or EGRESS_ALLOW_PRIVATE_ADDRESSES would allow it`;
  }

  private allowsName(hostName: string | undefined): boolean {
    if (hostName === undefined) return false;
    const name = normalizeHostName(hostName);
    return this.names.has(name) || this.suffixes.some((suffix) => name === suffix.slice(1) || name.endsWith(suffix));
  }

  private allowsAddress(address: string): boolean {
    if (this.blocks.length === 0) return false;
    const parsed = ipaddr.process(address.replace(/%.*$/, ''));
    return this.blocks.some(([block, bits]) => block.kind() === parsed.kind() && parsed.match(block, bits));
  }
}
