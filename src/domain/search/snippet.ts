/**
 * A search result's snippet: an excerpt of the message around its first match, and where the
 * query's terms are in it, as offsets (docs/API.md, "Search"). Offsets rather than markup: a
 * client wraps those ranges in elements it creates, so nothing in a message can become HTML.
 * Computed from the message's text and the parsed terms, the same way whatever index found it.
 */
import { wordsOf } from './reference-match.js';
import { foldText, isSubstringTerm, type SearchTerm } from './search-query.js';

/** About this many characters of context (UTF-16 code units) in a snippet. */
export const SNIPPET_MAX_CHARS = 200;

export interface Snippet {
  /** An excerpt of the content; starts and/or ends with `…` when cut. */
  snippet: string;
  /** [start, end) in `snippet`, in UTF-16 code units, ascending and not overlapping. */
  highlights: [number, number][];
}

/**
 * The content folded one code point at a time, with, for each folded code unit, where the code
 * point it came from starts and ends in `content` (a ligature such as `ﬁ` folds to two units).
 */
function foldWithOrigins(content: string): { folded: string; start: number[]; end: number[] } {
  let folded = '';
  const start: number[] = [];
  const end: number[] = [];
  let index = 0;
  for (const char of content) {
    const piece = foldText(char);
    folded += piece;
    // A combining mark folds to nothing: a range ending on its base character takes it along.
    if (piece.length === 0 && end.length > 0) end[end.length - 1] = index + char.length;
    for (let i = 0; i < piece.length; i++) {
      start.push(index);
      end.push(index + char.length);
    }
    index += char.length;
  }
  return { folded, start, end };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** Whether the code point at `at` (either half of a surrogate pair) is a word character, as wordsOf counts them. */
function isWordChar(text: string, at: number): boolean {
  if (at < 0 || at >= text.length) return false;
  const unit = text.charCodeAt(at);
  const from = unit >= 0xdc00 && unit <= 0xdfff && at > 0 ? at - 1 : at;
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(from)!));
}

/**
 * Where one term occurs in the folded text, as the reference definition (reference-match.ts)
 * matches it: a substring term (and one with no word in it, an emoji) where its text is; a term
 * of words where each of its words is a whole word, the last one of a prefix as a word's start.
 */
function occurrences(folded: string, term: SearchTerm): [number, number][] {
  const words = wordsOf(term.text);
  if (isSubstringTerm(term) || words.length === 0) return find(folded, term.text, false, false);
  return words.flatMap((word, i) => find(folded, word, true, term.kind === 'prefix' && i === words.length - 1));
}

function find(folded: string, needle: string, wholeWord: boolean, prefix: boolean): [number, number][] {
  const found: [number, number][] = [];
  if (needle.length === 0) return found;
  for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) {
    let end = at + needle.length;
    if (wholeWord && isWordChar(folded, at - 1)) continue;
    if (prefix) while (isWordChar(folded, end)) end++;
    else if (wholeWord && isWordChar(folded, end)) continue;
    found.push([at, end]);
  }
  return found;
}

/** Sorted, overlapping and touching ranges merged. */
function merge(ranges: [number, number][]): [number, number][] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of sorted) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

export function makeSnippet(content: string, terms: readonly SearchTerm[], maxChars = SNIPPET_MAX_CHARS): Snippet {
  const { folded, start: from, end: to } = foldWithOrigins(content);
  // A range ends where the code point of its last folded unit ends, not inside it.
  const ranges = merge(terms.flatMap((term) => occurrences(folded, term)).map(([s, e]) => [from[s]!, to[e - 1]!] as [number, number]));
  const first = ranges[0];
  let start = 0;
  let end = content.length;
  if (content.length > maxChars) {
    // Some context before the first match, the rest after it; cut at spaces where there are any.
    const lead = first ? Math.min(first[0], Math.floor(maxChars / 4)) : 0;
    start = first ? first[0] - lead : 0;
    end = Math.min(content.length, start + maxChars);
    start = Math.max(0, end - maxChars);
    const space = content.lastIndexOf(' ', start + 16);
    if (start > 0 && space > start - 1 && space < (first?.[0] ?? end)) start = space + 1;
    const endSpace = content.indexOf(' ', end - 16);
    if (end < content.length && endSpace >= 0 && endSpace < end && endSpace > (first?.[1] ?? start)) end = endSpace;
    // Never cut a surrogate pair in two.
    if (start > 0 && /[\uDC00-\uDFFF]/.test(content.charAt(start))) start--;
    if (end < content.length && /[\uDC00-\uDFFF]/.test(content.charAt(end))) end++;
  }
  const prefix = start > 0 ? '…' : '';
  const suffix = end < content.length ? '…' : '';
  const shift = prefix.length - start;
  const highlights = ranges
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]) => [s + shift, e + shift] as [number, number]);
  return { snippet: prefix + content.slice(start, end) + suffix, highlights };
}
