/** Conversation-list previews: the message as it reads formatted, on one line, never its markup. */
import { describe, expect, it } from 'vitest';
import { plainTextOf } from '../../src/lib/markdown-plain-text.js';

describe('plainTextOf', () => {
  it.each([
    ['**bold** and _italic_ and ~~gone~~', 'bold and italic and gone'],
    ['see [the docs](https://example.com/docs)', 'see the docs'],
    ['`npm test` fails', 'npm test fails'],
    ['```\nconst a = 1;\n```\nafter', 'const a = 1; after'],
    ['> quoted\n\nreply', 'quoted reply'],
    ['Tom & Jerry <b>x</b>', 'Tom & Jerry <b>x</b>'],
    ['\\*not italic\\*', '*not italic*'],
    ['line one\nline two', 'line one line two'],
    ['# not a heading', '# not a heading'],
    ['', ''],
  ])('%j previews as %j', (content, preview) => {
    expect(plainTextOf(content)).toBe(preview);
  });

  it('cuts long content', () => {
    expect(plainTextOf('**' + 'a'.repeat(500) + '**', 120)).toBe('a'.repeat(120));
  });
});
