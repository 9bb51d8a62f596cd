/**
 * Which index answers each term of a search (docs/architecture.md, "Search"), as the reference
 * definition (src/domain/search/reference-match.ts) says it matches:
 *
 * - a substring (isSubstringTerm, or a term without word characters such as an emoji) of 3
 *   characters or more: the trigram index, as one FTS5 string;
 * - a shorter substring (a 1–2 character term in a spaceless script, a lone emoji): the word
 *   index's `grams` column (search-functions.ts gramsOf);
 * - otherwise its words, consecutive (a phrase, or one word), the last one as a prefix for `term*`:
 *   the word index's `words` column.
 * - a term holding a NUL character (FTS5 reads its query text up to one): `instr` over the
 *   folded text of the caller's visible messages, slow but exact.
 *
 * Every term reaches FTS5 as a double-quoted string (quotes doubled), never as FTS5 syntax.
 */
import { isSubstringTerm, type SearchTerm } from '../../domain/search/search-query.js';
import { wordsOf } from '../../domain/search/reference-match.js';
import { gramToken } from './search-functions.js';

/** An FTS5 string literal: the text between double quotes, each quote doubled. */
export const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

const SUBSTRING_INDEX_MIN_CHARS = 3;

export type FtsTable = 'message_trigrams' | 'message_words';

/** One FTS5 table and the MATCH expression every hit must satisfy in it. */
export interface IndexMatch {
  table: FtsTable;
  match: string;
}

export interface SearchPlan {
  /** The indexes' conditions; the search walks the first (search-drive.ts rarerIndexFirst puts the one with fewer hits there). */
  indexes: IndexMatch[];
  /** Folded texts found by `instr` (terms holding NUL). */
  scan: string[];
  /** What bm25 ranks by: every term's words, any of them; null when no term has words. */
  rank: string | null;
  /**
   * Whether every term is words (a word, phrase or prefix): then the word index alone finds the
   * hits, with the rank's phrases, and bm25 of its walk is the rank (a phrase absent from a row
   * scores 0 in either, and an AND hit has them all).
   */
  rankIsWords: boolean;
}

export function planSearch(terms: readonly SearchTerm[]): SearchPlan {
  const trigram: string[] = [];
  const words: string[] = [];
  const rank: string[] = [];
  const scan: string[] = [];
  let rankIsWords = true;
  for (const term of terms) {
    const termWords = wordsOf(term.text);
    if (isSubstringTerm(term) || termWords.length === 0) {
      rankIsWords = false;
      // The trigram index has no entry for a text shorter than a trigram.
      if (term.text.includes('\u0000')) scan.push(term.text);
      else if ([...term.text].length >= SUBSTRING_INDEX_MIN_CHARS) trigram.push(ftsString(term.text));
      else words.push(`grams : ${ftsString(gramToken(term.text))}`);
      rank.push(...termWords.map((word) => `words : ${ftsString(word)}`));
    } else {
      // Words hold letters and digits only, and the index's tokenizer splits at spaces: a phrase.
      const phrase = `words : ${ftsString(termWords.join(' '))}${term.kind === 'prefix' ? ' *' : ''}`;
      words.push(phrase);
      rank.push(phrase);
    }
  }
  const indexes: IndexMatch[] = [];
  if (trigram.length > 0) indexes.push({ table: 'message_trigrams', match: trigram.join(' AND ') });
  if (words.length > 0) indexes.push({ table: 'message_words', match: words.join(' AND ') });
  return { indexes, scan, rank: rank.length === 0 ? null : rank.join(' OR '), rankIsWords };
}
