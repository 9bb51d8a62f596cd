// `npm run docs:settings`: rewrites the README's configuration table from src/config/config.ts,
// the table `--help` prints too. test/config/settings-table.test.ts fails when they differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { URL } from 'node:url';
import { readmeSettingsBlock, settingsMarkdown } from '../src/config/settings-table.js';

const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const block = readmeSettingsBlock(readme);
if (!block) {
  console.error('README.md has no settings markers; add the two lines settingsMarkdown() begins and ends with.');
  process.exit(1);
}
writeFileSync(path, readme.slice(0, block.start) + settingsMarkdown() + readme.slice(block.end));
console.log('README.md: settings table updated');
