/**
 * Message content as Preact elements in the Markdown subset of lib/markdown.ts. Every string from
 * the content becomes a text node and every element is one of a fixed few made here, so content
 * can never add an element or an attribute of its own (no innerHTML anywhere).
 *
 * Plain `h` calls rather than JSX: the unit tests import this file, and they are type-checked
 * with the server's settings, which have no JSX.
 */
import { h, type ComponentChild, type ComponentChildren, type VNode } from 'preact';
import type { Token, Tokens } from 'marked';
import { parseMarkdown, safeHref } from '../lib/markdown.js';

/** New tab, no window.opener, no Referer to the target, and no endorsement for search engines. */
const LINK_REL = 'noopener noreferrer nofollow';

interface FormattedTextProps {
  content: string;
  class?: string;
}

/**
 * One paragraph (most messages) renders inline in a <span>, so that what follows it in the bubble
 * ("(edited)") stays on its line; several blocks render in a <div>.
 */
export function FormattedText({ content, class: className }: FormattedTextProps) {
  const blocks = renderBlocks(parseMarkdown(content));
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only !== undefined && only.type === 'p') return h('span', { class: className }, only.props.children);
  return h('div', { class: className }, blocks);
}

/**
 * Block tokens as <p>, <pre><code> and <blockquote>. Paragraphs that marked split without a
 * blank line between them (at a line it would have read as a heading or list item, outside the
 * subset) are joined again with their line break, so the message reads as typed.
 */
function renderBlocks(tokens: readonly Token[]): VNode[] {
  const blocks: Array<{ lines: ComponentChild[] } | VNode> = [];
  let open: { lines: ComponentChild[] } | null = null;
  for (const token of tokens) {
    if (token.type === 'space') {
      open = null;
      continue;
    }
    const block = renderBlock(token);
    if (block !== null) {
      blocks.push(block);
      open = null;
      continue;
    }
    const inline = 'tokens' in token && token.tokens ? renderInline(token.tokens) : [token.raw.replace(/\n+$/, '')];
    if (open) open.lines.push('\n', ...inline);
    else blocks.push((open = { lines: inline }));
  }
  return blocks.map((block) => ('lines' in block ? h('p', null, block.lines) : block));
}

/** A code block or a block quote; null for paragraph text (and for anything else, shown as its text). */
function renderBlock(token: Token): VNode | null {
  switch (token.type) {
    case 'code':
      return h('pre', null, h('code', null, (token as Tokens.Code).text));
    case 'blockquote':
      return h('blockquote', null, renderBlocks((token as Tokens.Blockquote).tokens));
    default:
      return null;
  }
}

function renderInline(tokens: readonly Token[]): ComponentChild[] {
  return tokens.map(renderInlineToken);
}

/** Formatting elements for the subset; any other token (an image, say) is its source text. */
function renderInlineToken(token: Token): ComponentChild {
  switch (token.type) {
    // The source characters: marked's `text` is prepared for HTML output (numeric references
    // decoded, a bare & as &amp;), where a text node wants the characters as typed.
    case 'text':
      return 'tokens' in token && token.tokens ? renderInline(token.tokens) : token.raw;
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return h('strong', null, renderInline((token as Tokens.Strong).tokens));
    case 'em':
      return h('em', null, renderInline((token as Tokens.Em).tokens));
    case 'del':
      return h('del', null, renderInline((token as Tokens.Del).tokens));
    case 'codespan':
      return h('code', null, (token as Tokens.Codespan).text);
    case 'br':
      return h('br', null);
    case 'link':
      return renderLink(token as Tokens.Link);
    default:
      return token.raw;
  }
}

/**
 * A link opens only an allowed scheme (else it stays text), and shows where it goes: when its
 * text is not already its destination, the destination follows in parentheses, inside the link,
 * so `[your bank](https://evil.example)` reads "your bank (https://evil.example/)".
 */
function renderLink(token: Tokens.Link): ComponentChild {
  const href = safeHref(token.href);
  if (href === null) return token.raw;
  const children: ComponentChildren[] = [renderInline(token.tokens)];
  if (!textIsDestination(token.text.trim(), token.href, href)) children.push(h('span', { class: 'formatted__link-target' }, ` (${href})`));
  return h('a', { href, target: '_blank', rel: LINK_REL }, ...children);
}

/** Autolinks (`https://…`, `www.…`, `name@host`) and `[url](url)`: the visible text already names the destination. */
function textIsDestination(text: string, rawHref: string, href: string): boolean {
  return text === rawHref || [text, `http://${text}`, `mailto:${text}`].some((candidate) => safeHref(candidate) === href);
}
