/**
 * A search result's snippet: an excerpt of the message around its first match, and where the
 * query's terms are in it, as offsets (docs/API.md, "Search"). Offsets rather than markup: a
 * client wraps those ranges in elements it creates, so nothing in a message can become HTML.
 * Computed from the message's text and the parsed terms, the same way whatever index found it.
 */
import { foldText, isSubstringTerm, type SearchTerm } from './search-query.js';

/** About this many characters of context (UTF-16 code units) in a snippet. */
export const SNIPPET_MAX_CHARS = 200;

export interface Snippet {
  /** An excerpt of the content; starts and/or ends with `…` when cut. */
  snippet: string;
  /** [start, end) in `snippet`, in UTF-16 code units, ascending and not overlapping. */
  highlights: [number, number][];
}

/** The content folded one code point at a time, with the index in `content` of each folded code unit. */
function foldWithOrigins(content: string): { folded: string; origin: number[] } {
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of content) {
    const piece = foldText(char);
    folded += piece;
    for (let i = 0; i < piece.length; i++) origin.push(index);
    index += char.length;
  }
  origin.push(index);
  return { folded, origin };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const isWordChar = (text: string, at: number) => at >= 0 && at < text.length && WORD_CHAR.test(text.charAt(at));

/** Where one term occurs in the folded text, as the index would have matched it. */
function occurrences(folded: string, term: SearchTerm): [number, number][] {
  const found: [number, number][] = [];
  const needles = term.kind === 'phrase' && !isSubstringTerm(term) ? term.text.split(' ') : [term.text];
  const substring = isSubstringTerm(term);
  for (const needle of needles) {
    if (needle.length === 0) continue;
    for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + 1)) {
      const end = at + needle.length;
      if (!substring && isWordChar(folded, at - 1)) continue;
      if (term.kind === 'prefix') {
        let wordEnd = end;
        while (isWordChar(folded, wordEnd)) wordEnd++;
        found.push([at, wordEnd]);
        continue;
      }
      if (!substring && isWordChar(folded, end)) continue;
      found.push([at, end]);
    }
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
  const { folded, origin } = foldWithOrigins(content);
  const ranges = merge(terms.flatMap((term) => occurrences(folded, term)).map(([s, e]) => [origin[s]!, origin[e]!] as [number, number]));
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
