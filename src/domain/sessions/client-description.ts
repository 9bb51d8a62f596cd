/**
 * How a session's client and address are shown (docs/API.md, "Password and sessions"): a
 * short "Chrome 131 on Linux" from the User-Agent, and the network of the address rather than
 * the address (IPv4 /24, IPv6 /48), which is all a person needs to recognise a login and all
 * the server keeps.
 */
import Bowser from 'bowser';
import ipaddr from 'ipaddr.js';

/** Longest User-Agent kept: real ones are a few hundred characters; anything longer is cut. */
export const USER_AGENT_MAX_CHARS = 512;

/** "Chrome 131 on Linux", "Safari 18 on iOS"; null when nothing is recognisable (Node's fetch sends "node"). */
export function describeClient(userAgent: string | null): string | null {
  if (userAgent === null || userAgent.trim() === '') return null;
  const parsed = Bowser.parse(userAgent);
  const name = parsed.browser.name;
  if (!name) return null;
  const major = parsed.browser.version?.split('.')[0];
  const browser = major ? `${name} ${major}` : name;
  return parsed.os.name ? `${browser} on ${parsed.os.name}` : browser;
}

/** The /24 (IPv4) or /48 (IPv6) network of `address`, as CIDR; an IPv4-mapped IPv6 address counts as IPv4. */
export function approximateNetwork(address: string | undefined): string | null {
  if (address === undefined || !ipaddr.isValid(address)) return null;
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const prefix = parsed.kind() === 'ipv4' ? 24 : 48;
  return `${maskTo(parsed, prefix)}/${prefix}`;
}

function maskTo(address: ipaddr.IPv4 | ipaddr.IPv6, prefix: number): string {
  const bytes = address.toByteArray();
  for (let bit = prefix; bit < bytes.length * 8; bit++) bytes[bit >> 3]! &= ~(0x80 >> (bit & 7));
  return ipaddr.fromByteArray(bytes).toString();
}

/** The User-Agent as kept: cut to USER_AGENT_MAX_CHARS, null when absent. */
export function keptUserAgent(header: string | undefined): string | null {
  if (header === undefined || header.length === 0) return null;
  return header.slice(0, USER_AGENT_MAX_CHARS);
}
