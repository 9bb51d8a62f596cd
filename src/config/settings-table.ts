/**
 * The settings table in two renderings from one source (config.ts): plain text for `--help`
 * and Markdown for the README, so neither can drift from what the server reads.
 */
import { describeSettings } from './config.js';

const README_BEGIN = '<!-- settings:begin (generated from src/config/config.ts by `npm run docs:settings`) -->';
const README_END = '<!-- settings:end -->';

function shownDefault(value: string): string {
  return value === '' ? '(none)' : value;
}

/** What `node dist/src/main.js --help` prints. */
export function helpText(): string {
  const lines = [
    'Usage: node dist/src/main.js [--help]',
    '',
    'Pneumatic, a real-time chat server. Every setting is an environment variable, read once at',
    'start; a bad value stops the process with a message naming each bad setting.',
    '',
  ];
  for (const s of describeSettings()) {
    lines.push(`  ${s.name} (default: ${shownDefault(s.default)})`, `      ${s.doc}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The README's configuration table, markers included. */
export function settingsMarkdown(): string {
  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const rows = describeSettings().map((s) => {
    const value = s.default === '' ? '(none)' : `\`${s.default}\``;
    return `| \`${s.name}\` | ${escape(value)} | ${escape(s.doc)} |`;
  });
  return [README_BEGIN, '| setting | default | meaning |', '|---|---|---|', ...rows, README_END].join('\n');
}

/** The table currently in `readme`, markers included, or null when the markers are missing. */
export function readmeSettingsBlock(readme: string): { start: number; end: number; text: string } | null {
  const start = readme.indexOf(README_BEGIN);
  const endMarker = readme.indexOf(README_END, start);
  if (start < 0 || endMarker < 0) return null;
  const end = endMarker + README_END.length;
  return { start, end, text: readme.slice(start, end) };
}
