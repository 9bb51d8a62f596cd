import { describe, expect, it } from 'vitest';
import { createHostPolicy } from '../../../src/http/host-policy.js';

const policy = () => createHostPolicy({ HOST: '127.0.0.1', PUBLIC_URL: 'https://chat.example.com', ALLOWED_HOSTS: ['.example.org'] });

describe('the Host policy', () => {
  it('gives a Host the same verdict every time it is asked, allowed or not', () => {
    const hosts = policy();
    for (let round = 0; round < 3; round++) {
      expect(hosts.isAllowed('chat.example.com')).toBe(true);
      expect(hosts.isAllowed('api.example.org:8443')).toBe(true);
      expect(hosts.isAllowed('127.0.0.1:8000')).toBe(true);
      expect(hosts.isAllowed('evil.example')).toBe(false);
      expect(hosts.isAllowed('bad host')).toBe(false);
    }
  });

  it('judges every name correctly past the number of verdicts it remembers, and names longer than any real one', () => {
    const hosts = policy();
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 200; i++) {
        expect(hosts.isAllowed(`n${i}.example.org`)).toBe(true);
        expect(hosts.isAllowed(`n${i}.evil.example`)).toBe(false);
      }
    }
    const long = `${'a'.repeat(300)}.example.org`;
    expect(hosts.isAllowed(long)).toBe(true);
    expect(hosts.isAllowed(`${'a'.repeat(300)}.evil.example`)).toBe(false);
  });
});
