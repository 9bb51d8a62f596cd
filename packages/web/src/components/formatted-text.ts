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
import { splitMentions, type MentionTargets } from '../lib/mentions.js';

/** New tab, no window.opener, no Referer to the target, and no endorsement for search engines. */
const LINK_REL = 'noopener noreferrer nofollow';

interface FormattedTextProps {
  content: string;
  class?: string;
  /** The message's resolved mentions: those `@name`s render as <span class="mention"> (not in code). */
  mentions?: MentionTargets;
}

/** What rendering needs besides the tokens. */
interface RenderContext {
  mentions: MentionTargets | undefined;
}

/**
 * One paragraph (most messages) renders inline in a <span>, so that what follows it in the bubble
 * ("(edited)") stays on its line; several blocks render in a <div>.
 */
export function FormattedText({ content, class: className, mentions }: FormattedTextProps) {
  const blocks = renderBlocks(parseMarkdown(content), { mentions });
  const only = blocks.length === 1 ? blocks[0] : undefined;
  if (only !== undefined && only.type === 'p') return h('span', { class: className }, only.props.children);
  return h('div', { class: className }, blocks);
}

/**
 * Block tokens as <p>, <pre><code> and <blockquote>. Paragraphs that marked split without a
 * blank line between them (at a line it would have read as a heading or list item, outside the
 * subset) are joined again with their line break, so the message reads as typed.
 */
function renderBlocks(tokens: readonly Token[], context: RenderContext): VNode[] {
  const blocks: Array<{ lines: ComponentChild[] } | VNode> = [];
  let open: { lines: ComponentChild[] } | null = null;
  for (const token of tokens) {
    if (token.type === 'space') {
      open = null;
      continue;
    }
    const block = renderBlock(token, context);
    if (block !== null) {
      blocks.push(block);
      open = null;
      continue;
    }
    const inline = 'tokens' in token && token.tokens ? renderInline(token.tokens, context) : [token.raw.replace(/\n+$/, '')];
    if (open) open.lines.push('\n', ...inline);
    else blocks.push((open = { lines: inline }));
  }
  return blocks.map((block) => ('lines' in block ? h('p', null, block.lines) : block));
}

/** A code block or a block quote; null for paragraph text (and for anything else, shown as its text). */
function renderBlock(token: Token, context: RenderContext): VNode | null {
  switch (token.type) {
    case 'code':
      return h('pre', null, h('code', null, (token as Tokens.Code).text));
    case 'blockquote':
      return h('blockquote', null, renderBlocks((token as Tokens.Blockquote).tokens, context));
    default:
      return null;
  }
}

function renderInline(tokens: readonly Token[], context: RenderContext): ComponentChild[] {
  return tokens.map((token) => renderInlineToken(token, context));
}

/** Text with the message's mentions as spans (a stronger one for you); every string stays a text node. */
function renderText(text: string, context: RenderContext): ComponentChild {
  if (!context.mentions || !text.includes('@')) return text;
  return splitMentions(text, context.mentions).map((piece) =>
    typeof piece === 'string' ? piece : h('span', { class: piece.strong ? 'mention mention--me' : 'mention' }, piece.mention),
  );
}

/** Formatting elements for the subset; any other token (an image, say) is its source text. */
function renderInlineToken(token: Token, context: RenderContext): ComponentChild {
  switch (token.type) {
    // The source characters: marked's `text` is prepared for HTML output (numeric references
    // decoded, a bare & as &amp;), where a text node wants the characters as typed.
    case 'text':
      return 'tokens' in token && token.tokens ? renderInline(token.tokens, context) : renderText(token.raw, context);
    case 'escape':
      return (token as Tokens.Escape).text;
    case 'strong':
      return h('strong', null, renderInline((token as Tokens.Strong).tokens, context));
    case 'em':
      return h('em', null, renderInline((token as Tokens.Em).tokens, context));
    case 'del':
      return h('del', null, renderInline((token as Tokens.Del).tokens, context));
    case 'codespan':
      return h('code', null, (token as Tokens.Codespan).text);
    case 'br':
      return h('br', null);
    case 'link':
      return renderLink(token as Tokens.Link, context);
    default:
      return token.raw;
  }
}

/**
 * A link opens only an allowed scheme (else it stays text), and shows where it goes: when its
 * text is not already its destination, the destination follows in parentheses, inside the link,
 * so `[your bank](https://evil.example)` reads "your bank (https://evil.example/)".
 */
function renderLink(token: Tokens.Link, context: RenderContext): ComponentChild {
  const href = safeHref(token.href);
  if (href === null) return token.raw;
  const children: ComponentChildren[] = [renderInline(token.tokens, context)];
  if (!textIsDestination(token.text.trim(), token.href, href)) children.push(h('span', { class: 'formatted__link-target' }, ` (${href})`));
  return h('a', { href, target: '_blank', rel: LINK_REL }, ...children);
}

/** Autolinks (`https://…`, `www.…`, `name@host`) and `[url](url)`: the visible text already names the destination. */
function textIsDestination(text: string, rawHref: string, href: string): boolean {
  return text === rawHref || [text, `http://${text}`, `mailto:${text}`].some((candidate) => safeHref(candidate) === href);
}
