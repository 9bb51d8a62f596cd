/** How a session's client and address are shown and kept (docs/API.md, "Password and sessions"). */
import { describe, expect, it } from 'vitest';
import { approximateNetwork, describeClient, keptUserAgent, USER_AGENT_MAX_CHARS } from '../../../src/domain/sessions/client-description.js';

const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.86 Safari/537.36';
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const FIREFOX_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_IOS = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1';

describe('describeClient', () => {
  it('names the browser with its major version and the operating system', () => {
    expect(describeClient(CHROME_LINUX)).toBe('Chrome 131 on Linux');
    expect(describeClient(CHROME_WINDOWS)).toBe('Chrome 131 on Windows');
    expect(describeClient(FIREFOX_LINUX)).toBe('Firefox 133 on Linux');
    expect(describeClient(FIREFOX_MAC)).toBe('Firefox 133 on macOS');
    expect(describeClient(SAFARI_IOS)).toBe('Safari 18 on iOS');
  });

  it('is null when there is no User-Agent or it is blank', () => {
    expect(describeClient(null)).toBeNull();
    expect(describeClient('')).toBeNull();
    expect(describeClient('   ')).toBeNull();
  });

  it("is null for a client it does not recognise, such as Node's fetch (User-Agent \"node\")", () => {
    expect(describeClient('node')).toBeNull();
    expect(describeClient('definitely not a browser')).toBeNull();
  });
});

describe('approximateNetwork', () => {
  it('keeps the /24 of an IPv4 address', () => {
    expect(approximateNetwork('203.0.113.77')).toBe('203.0.113.0/24');
    expect(approximateNetwork('127.0.0.1')).toBe('127.0.0.0/24');
    expect(approximateNetwork('10.20.30.0')).toBe('10.20.30.0/24');
  });

  it('keeps the /48 of an IPv6 address', () => {
    expect(approximateNetwork('2001:db8:abcd:12:34::1')).toBe('2001:db8:abcd::/48');
    expect(approximateNetwork('2001:DB8:ABCD:FFFF:FFFF:FFFF:FFFF:FFFF')).toBe('2001:db8:abcd::/48');
    expect(approximateNetwork('::1')).toBe('::/48');
  });

  it('treats an IPv4-mapped IPv6 address (a dual-stack socket) as the IPv4 address it maps', () => {
    expect(approximateNetwork('::ffff:203.0.113.77')).toBe('203.0.113.0/24');
    expect(approximateNetwork('::ffff:cb00:714d')).toBe('203.0.113.0/24');
  });

  it('never keeps the full address', () => {
    for (const address of ['198.51.100.23', '2001:db8:1:2:3:4:5:6', '::ffff:198.51.100.23']) {
      expect(approximateNetwork(address)).not.toContain(address.replace('::ffff:', ''));
    }
  });

  it('is null for no address or one that is not an IP address', () => {
    for (const address of [undefined, '', 'localhost', 'not an ip', '999.1.1.1', '2001:db8::g', '1.2.3.4/24']) {
      expect(approximateNetwork(address), String(address)).toBeNull();
    }
  });
});

describe('keptUserAgent', () => {
  it('keeps a User-Agent as sent', () => {
    expect(keptUserAgent(CHROME_LINUX)).toBe(CHROME_LINUX);
  });

  it(`cuts one longer than ${USER_AGENT_MAX_CHARS} characters to its first ${USER_AGENT_MAX_CHARS}`, () => {
    expect(USER_AGENT_MAX_CHARS).toBe(512);
    const long = `${CHROME_LINUX} ${'x'.repeat(1000)}`;
    expect(keptUserAgent(long)).toBe(long.slice(0, 512));
    expect(keptUserAgent('y'.repeat(512))).toBe('y'.repeat(512));
    expect(keptUserAgent('y'.repeat(513))).toHaveLength(512);
  });

  it('is null when there is none', () => {
    expect(keptUserAgent(undefined)).toBeNull();
    expect(keptUserAgent('')).toBeNull();
  });
});
