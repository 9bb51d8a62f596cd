/**
 * The search query language (docs/API.md, "Search"): what a user types, parsed into terms that
 * every SearchProvider answers alike. Parsing never fails on syntax: quotes, stars, colons,
 * parentheses, backslashes and an engine's own operators (`NEAR`, `AND`, `-`) are text to find,
 * and a provider passes each term to its engine as a literal, never as engine syntax. The only
 * refusals are an empty query and one too long to answer quickly.
 */
import { AppError } from '../errors.js';

/** The most characters a query may have (the route's schema refuses far longer ones first). */
export const SEARCH_QUERY_MAX_CHARS = 500;
/** The most terms a query may have: each is one more index lookup. */
export const SEARCH_QUERY_MAX_TERMS = 16;
/**
 * A term at least this long (in characters, after folding) is found anywhere in a message's
 * text, inside words too; a shorter one only as a whole word (or as a word's prefix with `*`),
 * except in scripts written without spaces (spacelessScript), where every term is a substring.
 */
export const SUBSTRING_MIN_CHARS = 3;

export type SearchTermKind =
  /** Found as a substring (≥ SUBSTRING_MIN_CHARS, or any length in a spaceless script), else as a whole word. */
  | 'word'
  /** `term*`: a word starting with it. */
  | 'prefix'
  /** `"a b c"`: these words, in this order, next to each other; in a spaceless script, the text as a substring. */
  | 'phrase';

export interface SearchTerm {
  kind: SearchTermKind;
  /** Folded (foldText): what the provider looks for. Never empty; has a letter, digit or symbol. */
  text: string;
  /** As the user typed it (without quotes or the trailing `*`): for messages about the query. */
  raw: string;
}

export interface ParsedQuery {
  /** At least one; every term must match. */
  terms: SearchTerm[];
  /** `from:username`: only this sender's messages (the username as typed, matched ignoring case). */
  from: string | null;
}

/**
 * Case and diacritics folded, as the indexes fold: compatibility decomposition (so `ﬁ` is `fi`
 * and full-width `Ａ` is `A`), combining marks removed (`Café` → `cafe`), then lower case.
 */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().normalize('NFC');
}

/**
 * Scripts written without spaces between words (and Hangul, whose words take endings): a word
 * index cannot split them into words, so their terms are always found as substrings.
 */
const SPACELESS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;

export function spacelessScript(text: string): boolean {
  return SPACELESS.test(text);
}

/** Whether a term is answered as a substring (trigram index) rather than as whole words. */
export function isSubstringTerm(term: SearchTerm): boolean {
  if (term.kind === 'prefix') return false;
  if (spacelessScript(term.text)) return true;
  return term.kind === 'word' && [...term.text].length >= SUBSTRING_MIN_CHARS;
}

/** Something to find: a letter, a digit, or a symbol such as an emoji. */
const FINDABLE = /[\p{L}\p{N}\p{S}]/u;

export function parseSearchQuery(q: string): ParsedQuery {
  const text = q.trim();
  if (text.length === 0) throw new AppError('invalid_query', 'The search query is empty.');
  // In code points, as the route's schema and every other text limit count (an emoji is one).
  if ([...text].length > SEARCH_QUERY_MAX_CHARS) {
    throw new AppError('query_too_long', `A search query has at most ${SEARCH_QUERY_MAX_CHARS} characters.`);
  }
  const terms: SearchTerm[] = [];
  let from: string | null = null;
  for (const token of tokens(text)) {
    // `from:` or `from:@` alone names nobody: it is text to find, not an empty sender.
    if (!token.quoted && /^from:@?[^\s@]/i.test(token.text)) {
      const name = token.text.slice('from:'.length).replace(/^@/, '');
      if (from !== null && from.toLowerCase() !== name.toLowerCase()) {
        throw new AppError('invalid_query', 'A search query may name one sender (from:username).');
      }
      from = name;
      continue;
    }
    const term = toTerm(token);
    if (term) terms.push(term);
  }
  if (terms.length > SEARCH_QUERY_MAX_TERMS) {
    throw new AppError('query_too_long', `A search query has at most ${SEARCH_QUERY_MAX_TERMS} terms.`);
  }
  if (terms.length === 0) {
    throw new AppError('invalid_query', from === null ? 'The search query has nothing to find: no letter, digit or emoji.' : 'Add a word to find to from:.');
  }
  return { terms, from };
}

interface Token {
  text: string;
  quoted: boolean;
}

/** Whitespace-separated words and `"quoted phrases"` (an unclosed quote runs to the end). */
function* tokens(text: string): Generator<Token> {
  const pattern = /"([^"]*)"?|(\S+?)(?=\s|"|$)/gu;
  for (const match of text.matchAll(pattern)) {
    if (match[1] !== undefined) yield { text: match[1], quoted: true };
    else if (match[2] !== undefined) yield { text: match[2], quoted: false };
  }
}

function toTerm(token: Token): SearchTerm | null {
  if (token.quoted) {
    const raw = token.text.trim().replace(/\s+/gu, ' ');
    const folded = foldText(raw);
    if (!FINDABLE.test(folded)) return null;
    // One word in quotes is that word, found as a whole word (quotes turn substrings off).
    return { kind: 'phrase', text: folded, raw };
  }
  const starred = /\*+$/u.test(token.text);
  const raw = token.text.replace(/\*+$/u, '');
  const folded = foldText(raw);
  if (!FINDABLE.test(folded)) return null;
  return { kind: starred ? 'prefix' : 'word', text: folded, raw };
}
