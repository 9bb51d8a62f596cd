/**
 * A message's text as it reads once formatted, for one-line previews (the conversation list):
 * `**bold**` previews as "bold", a link as its text, a quote or code block as its contents.
 * Built from the same tokens as the formatted message, so a preview never shows markup the
 * message itself does not.
 */
import type { Token } from 'marked';
import { parseMarkdown } from './markdown.js';

function textOf(tokens: readonly Token[]): string {
  let text = '';
  for (const token of tokens) {
    if ('tokens' in token && Array.isArray(token.tokens) && token.tokens.length > 0) text += textOf(token.tokens as Token[]);
    else if (token.type === 'space' || token.type === 'br') text += ' ';
    // As the renderer shows them: a text token's source characters (its `text` is prepared for
    // HTML, `&` as `&amp;`), an escape's character, code as written.
    else if (token.type === 'escape' || token.type === 'codespan' || token.type === 'code') text += (token as { text: string }).text;
    else text += token.raw;
    // Blocks (paragraphs, quotes, code) read as separate sentences on one line.
    if (token.type === 'paragraph' || token.type === 'blockquote' || token.type === 'code') text += ' ';
  }
  return text;
}

/** The content without its Markdown, whitespace collapsed, cut to `max` characters. */
export function plainTextOf(content: string, max = 120): string {
  return textOf(parseMarkdown(content)).replace(/\s+/g, ' ').trim().slice(0, max);
}
