/** The README's configuration table is the one config.ts describes, so documentation cannot drift. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeSettings, loadConfig } from '../../../src/config/config.js';
import { helpText, readmeSettingsBlock, settingsMarkdown } from '../../../src/config/settings-table.js';

const README = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

describe('the settings table', () => {
  it('is in the README exactly as config.ts describes it (npm run docs:settings rewrites it)', () => {
    const block = readmeSettingsBlock(README);
    expect(block, 'README.md has lost its settings markers').not.toBeNull();
    expect(block!.text).toBe(settingsMarkdown());
  });

  it('lists every setting loadConfig reads, with its default, in the README and in --help', () => {
    const names = Object.keys(loadConfig({})).filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key));
    expect(describeSettings().map((s) => s.name)).toEqual(names);
    const help = helpText();
    for (const setting of describeSettings()) {
      expect(README).toContain(`| \`${setting.name}\` |`);
      expect(help).toContain(`  ${setting.name} (default: ${setting.default === '' ? '(none)' : setting.default})`);
    }
  });
});

describe('derived settings', () => {
  it('singleProcess follows REDIS_URL, and the config stays frozen', () => {
    const single = loadConfig({});
    expect(single.singleProcess).toBe(true);
    expect(Object.isFrozen(single)).toBe(true);
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).singleProcess).toBe(false);
  });

  it('PNEUMATIC_WORKERS above 1 without Redis is refused, naming REDIS_URL', () => {
    expect(() => loadConfig({ PNEUMATIC_WORKERS: '2' })).toThrow(/PNEUMATIC_WORKERS above 1 requires REDIS_URL/);
    expect(loadConfig({ PNEUMATIC_WORKERS: '2', REDIS_URL: 'redis://127.0.0.1:6379' }).PNEUMATIC_WORKERS).toBe(2);
  });

  it('singleProcess is false with REDIS_CLUSTER_NODES too, and workers may then be more than 1', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001', PNEUMATIC_WORKERS: '2' });
    expect(config.singleProcess).toBe(false);
    expect(config.REDIS_CLUSTER_NODES).toEqual({
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '10.0.0.2', port: 7001 },
      ],
      username: null,
      password: null,
      tls: false,
    });
  });
});

describe('REDIS_CLUSTER_NODES', () => {
  it('takes redis:// and rediss:// seeds with credentials, IPv6 hosts and the default port', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: 'rediss://app:s%40cret@[::1]:7000,rediss://app:s%40cret@redis-b' });
    expect(config.REDIS_CLUSTER_NODES).toEqual({
      nodes: [
        { host: '::1', port: 7000 },
        { host: 'redis-b', port: 6379 },
      ],
      username: 'app',
      password: 's@cret',
      tls: true,
    });
  });

  it('refuses seeds that disagree on scheme or credentials, without echoing a password', () => {
    const attempt = () => loadConfig({ REDIS_CLUSTER_NODES: 'redis://:hunter2@a:7000,redis://b:7001' });
    expect(attempt).toThrow(/REDIS_CLUSTER_NODES nodes must all use the same scheme and credentials/);
    expect(attempt).not.toThrow(/hunter2/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://a:7000,rediss://b:7001' })).toThrow(/same scheme/);
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: 'app:hunter2@b:99999' })).toThrow(/"…@b:99999" is not host:port/);
  });

  it('refuses a database number, another scheme and a bad port, naming the expected form', () => {
    for (const raw of ['redis://a:7000/2', 'http://a:7000', 'a:99999']) {
      expect(() => loadConfig({ REDIS_CLUSTER_NODES: raw }), raw).toThrow(/REDIS_CLUSTER_NODES .*host:port/);
    }
  });

  it('is refused together with REDIS_URL, saying to pick one', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379', REDIS_CLUSTER_NODES: '127.0.0.1:7000' })).toThrow(
      /REDIS_URL and REDIS_CLUSTER_NODES are both set/,
    );
  });
});
