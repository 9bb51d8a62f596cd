/**
 * What a query matches, written plainly over a message's text: the definition every
 * SearchProvider's index query must agree with (docs/API.md, "Search"). The in-memory store of
 * the unit tests searches with it, and the database suites compare their providers' answers
 * with it on a fixed corpus. Too slow to serve with: it reads every message.
 */
import { foldText, isSubstringTerm, type ParsedQuery, type SearchTerm } from './search-query.js';

/** A word: letters, digits and marks; anything else (`_`, `-`, `.`, `@`) separates words, as the word indexes split text. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

export function wordsOf(foldedText: string): string[] {
  return foldedText.match(WORD) ?? [];
}

/** Whether one term matches a message's folded text. */
export function termMatches(term: SearchTerm, foldedContent: string, contentWords: readonly string[]): boolean {
  if (isSubstringTerm(term)) return foldedContent.includes(term.text);
  const words = wordsOf(term.text);
  if (words.length === 0) return foldedContent.includes(term.text); // symbols only (an emoji): as a substring
  if (term.kind === 'prefix') {
    // `new york*`-like input cannot occur (a prefix is one token); `e-ma*` is `e` then `ma*`.
    return containsRun(contentWords, words, true);
  }
  return containsRun(contentWords, words, false);
}

/** Whether `needle` occurs as consecutive words of `haystack` (the last one as a prefix when `lastIsPrefix`). */
function containsRun(haystack: readonly string[], needle: readonly string[], lastIsPrefix: boolean): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) {
      const word = haystack[i + j]!;
      const want = needle[j]!;
      const last = j === needle.length - 1;
      if (last && lastIsPrefix ? !word.startsWith(want) : word !== want) continue outer;
    }
    return true;
  }
  return false;
}

/** Whether every term of the query matches this content. */
export function queryMatches(query: ParsedQuery, content: string): boolean {
  const folded = foldText(content);
  const words = wordsOf(folded);
  return query.terms.every((term) => termMatches(term, folded, words));
}
