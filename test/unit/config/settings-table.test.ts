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
});
