/** Which addresses outgoing requests may reach: the classification table and the settings that widen it. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/config.js';
import { AddressPolicy, classifyAddress, type AddressClass } from '../../../src/net/address-policy.js';

const TABLE: [address: string, expected: AddressClass, why: string][] = [
  // IPv4
  ['8.8.8.8', 'public', 'global unicast'],
  ['1.1.1.1', 'public', 'global unicast'],
  ['93.184.215.14', 'public', 'global unicast'],
  ['172.32.0.1', 'public', 'just past 172.16.0.0/12'],
  ['100.128.0.1', 'public', 'just past 100.64.0.0/10'],
  ['127.0.0.1', 'private', 'loopback'],
  ['127.255.255.254', 'private', 'loopback /8'],
  ['10.0.0.1', 'private', 'RFC 1918'],
  ['10.255.255.255', 'private', 'RFC 1918'],
  ['172.16.0.1', 'private', 'RFC 1918'],
  ['172.31.255.255', 'private', 'RFC 1918'],
  ['192.168.1.1', 'private', 'RFC 1918'],
  ['100.64.0.1', 'private', 'CGNAT, RFC 6598'],
  ['100.127.255.255', 'private', 'CGNAT, RFC 6598'],
  ['169.254.169.254', 'private', 'link-local: the cloud metadata service'],
  ['169.254.0.1', 'private', 'link-local'],
  ['192.0.0.8', 'private', 'IETF protocol assignments'],
  ['192.0.2.1', 'private', 'TEST-NET-1'],
  ['198.51.100.7', 'private', 'TEST-NET-2'],
  ['203.0.113.9', 'private', 'TEST-NET-3'],
  ['198.18.0.1', 'private', 'benchmarking, RFC 2544'],
  ['240.0.0.1', 'private', 'reserved class E'],
  ['0.0.0.0', 'never', 'unspecified: reaches this machine'],
  ['0.1.2.3', 'never', '0.0.0.0/8, "this network"'],
  ['255.255.255.255', 'never', 'broadcast'],
  ['224.0.0.1', 'never', 'multicast'],
  ['239.255.255.250', 'never', 'multicast'],
  // IPv6
  ['2606:4700:4700::1111', 'public', 'global unicast'],
  ['2a00:1450:4001::200e', 'public', 'global unicast'],
  ['::1', 'private', 'loopback'],
  ['fe80::1', 'private', 'link-local'],
  ['fe80::1%lo', 'private', 'link-local with a zone'],
  ['fc00::1', 'private', 'unique-local'],
  ['fd12:3456:789a::1', 'private', 'unique-local'],
  ['fec0::1', 'private', 'deprecated site-local'],
  ['2001:db8::1', 'private', 'documentation'],
  ['3fff::1', 'private', 'documentation, RFC 9637'],
  ['2001:2::1', 'private', 'benchmarking'],
  ['100::1', 'private', 'discard'],
  ['2002:7f00:1::1', 'private', '6to4 (embeds 127.0.0.1)'],
  ['2002:808:808::1', 'private', '6to4, relayed: refused whatever it embeds'],
  ['2001:0:4136:e378::1', 'private', 'Teredo'],
  ['::7f00:1', 'private', 'IPv4-compatible, outside 2000::/3'],
  ['4000::1', 'private', 'unallocated, outside 2000::/3'],
  ['::', 'never', 'unspecified'],
  ['ff02::1', 'never', 'multicast'],
  ['ff05::1:3', 'never', 'multicast'],
  // IPv6 forms carrying an IPv4 address: that address decides
  ['::ffff:127.0.0.1', 'private', 'IPv4-mapped loopback'],
  ['::ffff:7f00:1', 'private', 'IPv4-mapped loopback, hex'],
  ['::ffff:10.1.2.3', 'private', 'IPv4-mapped RFC 1918'],
  ['::ffff:169.254.169.254', 'private', 'IPv4-mapped metadata'],
  ['::ffff:0.0.0.0', 'never', 'IPv4-mapped unspecified'],
  ['::ffff:8.8.8.8', 'public', 'IPv4-mapped global'],
  ['64:ff9b::7f00:1', 'private', 'NAT64 of 127.0.0.1'],
  ['64:ff9b::a00:1', 'private', 'NAT64 of 10.0.0.1'],
  ['64:ff9b::169.254.169.254', 'private', 'NAT64 of the metadata service'],
  ['64:ff9b::808:808', 'public', 'NAT64 of 8.8.8.8'],
  ['64:ff9b:1::a00:1', 'private', 'local-use NAT64 prefix, RFC 8215'],
  // Not an address at all
  ['localhost', 'never', 'a name, not an address'],
  ['127.1', 'never', 'shorthand the kernel is never handed'],
];

describe('classifyAddress', () => {
  it.each(TABLE)('%s is %s (%s)', (address, expected) => {
    expect(classifyAddress(address).class).toBe(expected);
  });

  it('names the range, for messages and logs', () => {
    expect(classifyAddress('169.254.169.254').range).toBe('linkLocal');
    expect(classifyAddress('::ffff:127.0.0.1').range).toBe('ipv4Mapped loopback');
    expect(classifyAddress('64:ff9b::a00:1').range).toBe('rfc6052 private');
  });
});

describe('AddressPolicy', () => {
  const strict = new AddressPolicy({ allowPrivateAddresses: false, allowedHosts: [] });

  it('allows public addresses and refuses the rest, naming the host and the range', () => {
    expect(strict.refusal('8.8.8.8')).toBeNull();
    expect(strict.refusal('127.0.0.1', 'localhost')).toMatch(/^localhost \(127\.0\.0\.1\) is a loopback address/);
    expect(strict.refusal('10.0.0.1')).toMatch(/EGRESS_ALLOW_PRIVATE_ADDRESSES/);
  });

  it('allows every private address with allowPrivateAddresses, but never 0.0.0.0, :: or multicast', () => {
    const open = new AddressPolicy({ allowPrivateAddresses: true, allowedHosts: [] });
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '169.254.169.254', 'fd00::1', '::ffff:127.0.0.1']) {
      expect(open.refusal(address), address).toBeNull();
    }
    for (const address of ['0.0.0.0', '::', '224.0.0.1', 'ff02::1', '255.255.255.255']) {
      expect(open.refusal(address), address).toMatch(/never a receiver/);
    }
  });

  it('allows the names, addresses and blocks of allowedHosts, and nothing else private', () => {
    const policy = new AddressPolicy({ allowPrivateAddresses: false, allowedHosts: ['CI.Internal', '.corp.example', '10.8.0.0/16', '192.168.1.5', 'fd00:1::/32'] });
    expect(policy.refusal('10.1.2.3', 'ci.internal')).toBeNull();
    expect(policy.refusal('10.1.2.3', 'ci.internal.')).toBeNull();
    expect(policy.refusal('10.1.2.3', 'corp.example')).toBeNull();
    expect(policy.refusal('10.1.2.3', 'build.corp.example')).toBeNull();
    expect(policy.refusal('10.1.2.3', 'notcorp.example')).not.toBeNull();
    expect(policy.refusal('10.1.2.3', 'other.internal')).not.toBeNull();
    expect(policy.refusal('10.8.200.1')).toBeNull();
    expect(policy.refusal('::ffff:10.8.0.9')).toBeNull();
    expect(policy.refusal('10.9.0.1')).not.toBeNull();
    expect(policy.refusal('192.168.1.5')).toBeNull();
    expect(policy.refusal('192.168.1.6')).not.toBeNull();
    expect(policy.refusal('fd00:1:2::3')).toBeNull();
    expect(policy.refusal('fd00:2::3')).not.toBeNull();
    // An allowed name does not open the addresses that are never receivers.
    expect(policy.refusal('0.0.0.0', 'ci.internal')).not.toBeNull();
  });
});

describe('EGRESS_* settings', () => {
  it('default to refusing private addresses, 10 s, 64 KiB and 4 connections per origin', () => {
    const config = loadConfig({});
    expect(config.EGRESS_ALLOW_PRIVATE_ADDRESSES).toBe(false);
    expect(config.EGRESS_ALLOWED_HOSTS).toEqual([]);
    expect(config.EGRESS_TIMEOUT_MS).toBe(10_000);
    expect(config.EGRESS_MAX_RESPONSE_BYTES).toBe(65_536);
    expect(config.EGRESS_MAX_SOCKETS_PER_ORIGIN).toBe(4);
  });

  it('read EGRESS_ALLOWED_HOSTS as names, addresses and CIDR blocks, lowercased', () => {
    const config = loadConfig({ EGRESS_ALLOWED_HOSTS: ' CI.internal, .corp.example,10.8.0.0/16, ::1 ,fd00::/8' });
    expect(config.EGRESS_ALLOWED_HOSTS).toEqual(['ci.internal', '.corp.example', '10.8.0.0/16', '::1', 'fd00::/8']);
  });

  it('refuse an EGRESS_ALLOWED_HOSTS entry with a scheme, a port or a bad block, naming the forms', () => {
    for (const raw of ['https://ci.internal', 'ci.internal:8080', '10.0.0.0/33', 'a b']) {
      expect(() => loadConfig({ EGRESS_ALLOWED_HOSTS: raw }), raw).toThrow(/EGRESS_ALLOWED_HOSTS .*is not a host name, IP address or CIDR block/);
    }
  });
});
