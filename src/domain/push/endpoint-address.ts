/**
 * Which addresses a push endpoint may point at. An endpoint is chosen by the browser, but any
 * client can post one, and the server then sends requests to it: so endpoints on loopback,
 * private, link-local and other special-purpose addresses (RFC 6890) are refused, both as
 * written (subscription-validation.ts) and as a host name resolves when a push is sent
 * (src/push/push-transport.ts), so a subscription cannot make the server reach into its own
 * network. The test setting PUSH_ALLOW_INSECURE_ENDPOINTS allows loopback, and only that.
 */
import { BlockList, isIP } from 'node:net';

const SPECIAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  SPECIAL.addSubnet(network, prefix, 'ipv6');
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is judged as its IPv4 address. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Whether `address` (an IP literal, brackets removed) is loopback. */
export function isLoopbackAddress(address: string): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  return family !== 0 && LOOPBACK.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** Whether a push may be sent to `address` (an IP literal): public, or loopback when the test setting allows it. */
export function isPushableAddress(address: string, allowLoopback: boolean): boolean {
  const ip = unmapped(address);
  const family = isIP(ip);
  if (family === 0) return false;
  if (isLoopbackAddress(ip)) return allowLoopback;
  return !SPECIAL.check(ip, family === 4 ? 'ipv4' : 'ipv6');
}

/** The host of a URL without IPv6 brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
