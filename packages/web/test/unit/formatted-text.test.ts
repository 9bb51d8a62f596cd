/**
 * The message renderer (components/formatted-text.ts) on each construct of the Markdown subset,
 * on nesting, and on hostile input. The Preact tree it returns is written out as markup here,
 * text escaped the way the DOM treats a text node, so an element that content tried to add would
 * show as `&lt;…`, never as `<…`; every tree is also checked against the closed set of elements
 * and attributes the renderer may produce.
 */
import fc from 'fast-check';
import type { ComponentChildren, VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { FormattedText } from '../../src/components/formatted-text.js';
import type { MentionTargets } from '../../src/lib/mentions.js';

const ELEMENTS = new Set(['span', 'div', 'p', 'pre', 'code', 'blockquote', 'strong', 'em', 'del', 'a', 'br']);
const ATTRIBUTES = new Set(['class', 'href', 'target', 'rel']);
const REL = 'noopener noreferrer nofollow';

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Markup of a rendered tree; fails on any element or attribute outside the renderer's set, and on any link to another scheme. */
function markup(node: ComponentChildren): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (Array.isArray(node)) return node.map(markup).join('');
  if (typeof node === 'string' || typeof node === 'number') return escapeText(String(node));
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type !== 'string' || !ELEMENTS.has(vnode.type)) throw new Error(`unexpected element ${String(vnode.type)}`);
  const { children, ...props } = vnode.props;
  let attributes = '';
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined) continue;
    if (!ATTRIBUTES.has(name) || typeof value !== 'string') throw new Error(`unexpected attribute ${name}`);
    if (name === 'href' && !/^(https?:\/\/|mailto:)/.test(value)) throw new Error(`unexpected link ${value}`);
    attributes += ` ${name}="${escapeText(value)}"`;
  }
  return `<${vnode.type}${attributes}>${markup(children as ComponentChildren)}</${vnode.type}>`;
}

/** The rendered markup of a message, without the outer element (a span for one paragraph, else a div). */
function render(content: string, mentions?: MentionTargets): string {
  const outer = markup(FormattedText({ content, class: 'message__text', mentions }));
  const inner = /^<(span|div) class="message__text">([\s\S]*)<\/\1>$/.exec(outer);
  if (!inner) throw new Error(`unexpected outer element: ${outer}`);
  return inner[1] === 'div' ? `<div>${inner[2]}</div>` : inner[2]!;
}

/** The text a reader sees (tags dropped, entities of the markup decoded). */
const visibleText = (content: string) => render(content).replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

const link = (href: string, inner: string) => `<a href="${href}" target="_blank" rel="${REL}">${inner}</a>`;

describe('FormattedText', () => {
  describe('plain text', () => {
    it('renders a message without Markdown as its text, line breaks and @mentions included', () => {
      expect(render('Hi Bob! Ready for the launch?')).toBe('Hi Bob! Ready for the launch?');
      expect(render('Almost\nready!')).toBe('Almost\nready!');
      expect(render('@bob can you look? cc @carol_2')).toBe('@bob can you look? cc @carol_2');
    });

    it('keeps constructs outside the subset as typed: headings, lists, rules, tables, images, reference definitions', () => {
      for (const content of ['# Not a heading', '- milk\n- eggs\n1. first', 'Title\n---', '***', '| a | b |\n|---|---|\n| 1 | 2 |', '    four spaces in', '[ref]: https://example.com']) {
        expect(visibleText(content)).toBe(content);
      }
      expect(render('![cat](https://example.com/cat.png)')).toBe('![cat](https://example.com/cat.png)');
      expect(render('Shopping:\n- **milk**\n- eggs')).toBe('Shopping:\n- <strong>milk</strong>\n- eggs');
    });

    it('keeps a single tilde as text (~5 min), only ~~two~~ strike through', () => {
      expect(render('~5 min or ~10 min')).toBe('~5 min or ~10 min');
      expect(render('~~cancelled~~')).toBe('<del>cancelled</del>');
    });
  });

  describe('each construct', () => {
    it('bold, italic and strikethrough', () => {
      expect(render('**bold** and __bold__')).toBe('<strong>bold</strong> and <strong>bold</strong>');
      expect(render('*italic* and _italic_')).toBe('<em>italic</em> and <em>italic</em>');
      expect(render('~~gone~~')).toBe('<del>gone</del>');
    });

    it('inline code keeps its content verbatim, Markdown included', () => {
      expect(render('run `npm **test**` now')).toBe('run <code>npm **test**</code> now');
    });

    it('fenced code blocks, with or without a language, keep their lines', () => {
      expect(render('```js\nconst a = 1;\n  **not bold**\n```')).toBe('<div><pre><code>const a = 1;\n  **not bold**</code></pre></div>');
      expect(render('~~~\nplain\n~~~')).toBe('<div><pre><code>plain</code></pre></div>');
    });

    it('block quotes, and paragraphs separated by a blank line', () => {
      expect(render('> quoted\n\nreply')).toBe('<div><blockquote><p>quoted</p></blockquote><p>reply</p></div>');
      expect(render('one\n\ntwo')).toBe('<div><p>one</p><p>two</p></div>');
    });

    it('links show their destination beside their text, and open in a new tab without opener or referrer', () => {
      expect(render('[the docs](https://example.com/docs)')).toBe(link('https://example.com/docs', 'the docs<span class="formatted__link-target"> (https://example.com/docs)</span>'));
      expect(render('[mail me](mailto:a@example.com)')).toBe(link('mailto:a@example.com', 'mail me<span class="formatted__link-target"> (mailto:a@example.com)</span>'));
    });

    it('a link whose text is its destination shows it once', () => {
      expect(render('[https://example.com/](https://example.com/)')).toBe(link('https://example.com/', 'https://example.com/'));
      expect(render('[example.com](http://example.com)')).toBe(link('http://example.com/', 'example.com'));
    });

    it('autolinks bare URLs, www. addresses, e-mail addresses and <…> autolinks', () => {
      expect(render('see https://example.com/a?b=1.')).toBe(`see ${link('https://example.com/a?b=1', 'https://example.com/a?b=1')}.`);
      expect(render('www.example.com')).toBe(link('http://www.example.com/', 'www.example.com'));
      expect(render('write to bob@example.com')).toBe(`write to ${link('mailto:bob@example.com', 'bob@example.com')}`);
      expect(render('<https://example.com>')).toBe(link('https://example.com/', 'https://example.com'));
    });

    it('shows a link text that names another site together with the real destination', () => {
      expect(visibleText('[https://bank.example](https://evil.example/login)')).toBe('https://bank.example (https://evil.example/login)');
    });

    it('hard line breaks', () => {
      expect(render('one  \ntwo')).toBe('one<br></br>two');
    });
  });

  describe('nesting', () => {
    it('formatting inside formatting', () => {
      expect(render('**bold _italic ~~struck~~_ `code`**')).toBe('<strong>bold <em>italic <del>struck</del></em> <code>code</code></strong>');
    });

    it('formatting inside link text, and links inside formatting', () => {
      expect(render('[**big** deal](https://example.com)')).toBe(link('https://example.com/', '<strong>big</strong> deal<span class="formatted__link-target"> (https://example.com/)</span>'));
      expect(render('*see https://example.com*')).toBe(`<em>see ${link('https://example.com/', 'https://example.com')}</em>`);
    });

    it('formatting, code blocks and quotes inside quotes', () => {
      expect(render('> **a** `b`\n> > inner\n\nafter')).toBe('<div><blockquote><p><strong>a</strong> <code>b</code></p><blockquote><p>inner</p></blockquote></blockquote><p>after</p></div>');
      expect(render('> ```\n> <b>x</b>\n> ```')).toBe('<div><blockquote><pre><code>&lt;b&gt;x&lt;/b&gt;</code></pre></blockquote></div>');
    });

    it('stops quoting at five levels: deeper markers stay text', () => {
      const rendered = render('>>>>>>>> deep');
      expect(rendered.match(/<blockquote>/g)).toHaveLength(5);
      expect(visibleText('>>>>>>>> deep')).toBe('>>> deep');
    });
  });

  describe('hostile input', () => {
    it('renders HTML as text, never as elements', () => {
      expect(render('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(render('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert(1)&gt;');
      expect(render('<div>\n<b onclick="x()">hi</b>\n</div>')).toBe('&lt;div&gt;\n&lt;b onclick=&quot;x()&quot;&gt;hi&lt;/b&gt;\n&lt;/div&gt;');
      expect(render('**<iframe src="https://evil.example">**')).toBe('<strong>&lt;iframe src=&quot;https://evil.example&quot;&gt;</strong>');
    });

    it('keeps links to other schemes as their text', () => {
      for (const content of ['[x](javascript:alert(1))', '[x](JaVaScRiPt:alert(1))', '[x](data:text/html,<script>alert(1)</script>)', '[x](vbscript:msgbox)', '[x](file:///etc/passwd)', '[x](/relative)', '[x](//evil.example)', '<javascript:alert(1)>', '[x](&#106;avascript:alert(1))']) {
        expect(visibleText(content)).toBe(content);
        expect(render(content)).not.toContain('<a ');
      }
    });

    it('shows HTML entities as typed, without decoding them into markup', () => {
      for (const content of ['&lt;script&gt;alert(1)&lt;/script&gt;', '&amp; &#60;b&#62; &#x3C;i&#x3E; &#0;', 'a & b']) expect(visibleText(content)).toBe(content);
      expect(render('**&#60;b&#62;**')).toBe('<strong>&amp;#60;b&amp;#62;</strong>');
      expect(visibleText('[&#60;b&#62;](https://example.com)')).toBe('&#60;b&#62; (https://example.com/)');
      expect(render('&#60;b&#62; &amp;')).toBe('&amp;#60;b&amp;#62; &amp;amp;');
    });

    it('keeps HTML in backticks as code text', () => {
      expect(render('`<script>alert(1)</script>`')).toBe('<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>');
      expect(render('```html\n<img src=x onerror=alert(1)>\n```')).toBe('<div><pre><code>&lt;img src=x onerror=alert(1)&gt;</code></pre></div>');
    });

    it('leaves unbalanced markers as text, losing no character', () => {
      for (const content of ['**bold', 'bold**', '*a **b c', '`code', '~~x', '[x](https://example.com', '[x]', '> ', '_a', '***']) {
        expect(visibleText(content)).toBe(content.trim() === '>' ? '' : content);
      }
      expect(render('```\nno closing fence')).toBe('<div><pre><code>no closing fence</code></pre></div>');
    });

    it('renders very long lines and runs of markers at the length limit', () => {
      for (const content of ['a'.repeat(4000), '*'.repeat(4000), '_a'.repeat(2000), '['.repeat(4000), '>'.repeat(4000), '> '.repeat(2000), '`'.repeat(4000), '<'.repeat(4000), `https://example.com/${'a'.repeat(3980)}`]) {
        expect(() => render(content)).not.toThrow();
      }
      expect(visibleText('x'.repeat(4000))).toBe('x'.repeat(4000));
    });

    it('produces only the subset’s elements and safe links for any mix of Markdown and HTML', () => {
      const piece = fc.constantFrom('*', '**', '_', '~~', '`', '```\n', '> ', '[', ']', '(', ')', '<', '>', '"', "'", '&', ';', '!', '\\', '\n', '\n\n', ' ', 'a', '@bob', 'https://example.com', 'javascript:alert(1)', 'data:', '<script>', '<img src=x onerror=alert(1)>', '&lt;', 'mailto:', 'www.x.io');
      fc.assert(
        fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
          const rendered = render(pieces.join(''));
          expect(rendered).not.toMatch(/<(?!\/?(span|div|p|pre|code|blockquote|strong|em|del|a|br)[ >])/);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('mentions', () => {
    const targets: MentionTargets = { names: new Map([['bob', false], ['me', true]]), all: true };
    const mention = (name: string) => `<span class="mention">${name}</span>`;
    const mine = (name: string) => `<span class="mention mention--me">${name}</span>`;

    it('marks the resolved mentions only, yours and @all more strongly, ignoring case', () => {
      expect(render('@Bob and @me, cc @carol and @all', targets)).toBe(`${mention('@Bob')} and ${mine('@me')}, cc @carol and ${mine('@all')}`);
      expect(render('@everyone', { names: new Map(), all: false })).toBe('@everyone');
    });

    it('leaves addresses, code and a trailing full stop alone, and works inside formatting', () => {
      expect(render('mail bob@example.org or `@bob`', targets)).toContain('<code>@bob</code>');
      expect(render('mail bob@example.org or `@bob`', targets)).not.toContain('class="mention"');
      expect(render('thanks @bob.', targets)).toBe(`thanks ${mention('@bob')}.`);
      expect(render('**@bob** > _(@me)_', targets)).toBe(`<strong>${mention('@bob')}</strong> &gt; <em>(${mine('@me')})</em>`);
      expect(render('> @bob', targets)).toBe(`<div><blockquote><p>${mention('@bob')}</p></blockquote></div>`);
    });

    it('never makes markup of a mention-like name', () => {
      const hostile = { names: new Map([['<b>x</b>', true]]), all: false };
      expect(render('@<b>x</b>', hostile)).toBe('@&lt;b&gt;x&lt;/b&gt;');
    });
  });
});
