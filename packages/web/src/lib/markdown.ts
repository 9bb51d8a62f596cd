/**
 * The Markdown subset messages are shown with. Content stays plain text on the wire; the app
 * parses it with marked's lexer (tokens only: marked's HTML renderer is never used) restricted
 * to bold, italic, strikethrough, inline code, fenced code blocks, block quotes, links and
 * autolinked URLs. Everything else keeps its characters as typed. Rendering the tokens as Preact
 * elements is components/formatted-text.ts.
 */
import { Lexer, Tokenizer, type Token, type Tokens } from 'marked';

/** Deeper `>` nesting stays text: marked recurses once per level, and a 4,000-character `>>>>…` would exhaust the stack. */
const MAX_QUOTE_DEPTH = 5;

/** Schemes that become links; anything else (javascript:, data:, vbscript:, file:, relative paths) stays text. */
const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:']);

/**
 * marked's tokenizer without the constructs outside the subset: a tokenizer that returns nothing
 * lets the text fall through to a paragraph, where its inline formatting still applies.
 */
class ChatTokenizer extends Tokenizer {
  private quoteDepth = 0;

  // Leading spaces in a chat message are layout, not an indented code block (fences are the way).
  override code(): undefined {
    return undefined;
  }
  override heading(): undefined {
    return undefined;
  }
  // "text" over "---" would otherwise become a heading.
  override lheading(): undefined {
    return undefined;
  }
  override hr(): undefined {
    return undefined;
  }
  override list(): undefined {
    return undefined;
  }
  override table(): undefined {
    return undefined;
  }
  // A "[x]: https://…" line would otherwise vanish from the message (and retarget [x] elsewhere).
  override def(): undefined {
    return undefined;
  }
  // HTML, block and inline, is text: never elements.
  override html(): undefined {
    return undefined;
  }
  override tag(): undefined {
    return undefined;
  }

  // Only `~~text~~`: a single tilde is how people write "about" (~5 min … ~10 min).
  override del(src: string, maskedSrc: string, prevChar?: string): Tokens.Del | undefined {
    const token = super.del(src, maskedSrc, prevChar);
    return token?.raw.startsWith('~~') ? token : undefined;
  }

  override blockquote(src: string): Tokens.Blockquote | undefined {
    if (this.quoteDepth >= MAX_QUOTE_DEPTH) return undefined;
    this.quoteDepth++;
    try {
      return super.blockquote(src);
    } finally {
      this.quoteDepth--;
    }
  }
}

/** The block tokens of a message; if marked fails on some input, the whole content as one text paragraph. */
export function parseMarkdown(content: string): Token[] {
  try {
    // A fresh lexer and tokenizer per message: the lexer keeps state (links, nesting) between calls.
    return new Lexer({ gfm: true, breaks: false, pedantic: false, silent: false, tokenizer: new ChatTokenizer() }).lex(content);
  } catch {
    return [{ type: 'paragraph', raw: content, text: content, tokens: [{ type: 'text', raw: content, text: content, escaped: false }] }];
  }
}

/** The URL a link may point to (normalized, so what is shown is what is opened), or null if its scheme is not allowed. */
export function safeHref(href: string): string | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return LINK_SCHEMES.has(url.protocol) ? url.href : null;
}
