/**
 * The search query language (src/domain/search/search-query.ts, docs/API.md "Search"): how what
 * a user types becomes terms, what is refused and with which code, folding, and which terms are
 * found as substrings; and the cursor codec of search pages (search-cursor.ts).
 */
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import { decodeSearchCursor, encodeSearchCursor } from '../../../src/domain/search/search-cursor.js';
import {
  foldText,
  isSubstringTerm,
  parseSearchQuery,
  SEARCH_QUERY_MAX_CHARS,
  SEARCH_QUERY_MAX_TERMS,
  spacelessScript,
  type SearchTerm,
} from '../../../src/domain/search/search-query.js';

const terms = (q: string) => parseSearchQuery(q).terms.map((t) => [t.kind, t.text]);
const codeOf = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (error) {
    return error instanceof AppError ? error.code : `not an AppError: ${String(error)}`;
  }
};

describe('parseSearchQuery', () => {
  it('splits words on whitespace, folded, all of them to match', () => {
    expect(parseSearchQuery('  Café   au\tLAIT ')).toEqual({
      terms: [
        { kind: 'word', text: 'cafe', raw: 'Café' },
        { kind: 'word', text: 'au', raw: 'au' },
        { kind: 'word', text: 'lait', raw: 'LAIT' },
      ],
      from: null,
    });
  });

  it('reads "quoted phrases", spaces inside collapsed, and runs an unclosed quote to the end', () => {
    expect(terms('"New  York" pizza')).toEqual([['phrase', 'new york'], ['word', 'pizza']]);
    expect(terms('pizza "new york')).toEqual([['word', 'pizza'], ['phrase', 'new york']]);
    expect(terms('a"b c"d')).toEqual([['word', 'a'], ['phrase', 'b c'], ['word', 'd']]);
    // One word in quotes is a phrase of one word: found as a whole word, not as a substring.
    expect(terms('"cafe"')).toEqual([['phrase', 'cafe']]);
    // Empty quotes have nothing to find and are dropped.
    expect(terms('"" cafe " "')).toEqual([['word', 'cafe']]);
  });

  it('reads a trailing * as a prefix, and other asterisks as text', () => {
    expect(terms('deplo*')).toEqual([['prefix', 'deplo']]);
    expect(terms('deplo***')).toEqual([['prefix', 'deplo']]);
    expect(terms('**bold**')).toEqual([['prefix', '**bold']]);
    expect(terms('*cafe')).toEqual([['word', '*cafe']]);
    expect(terms('ca*fe')).toEqual([['word', 'ca*fe']]);
    expect(codeOf(() => parseSearchQuery('*'))).toBe('invalid_query');
  });

  it('keeps engine operators and syntax as text', () => {
    expect(terms('NEAR(a b) OR -c AND NOT d:e')).toEqual([
      ['word', 'near(a'], ['word', 'b)'], ['word', 'or'], ['word', '-c'], ['word', 'and'], ['word', 'not'], ['word', 'd:e'],
    ]);
    // Punctuation alone has nothing to find: that token is dropped.
    expect(terms("%_\\' x")).toEqual([['word', 'x']]);
    expect(terms("'%bob%'")).toEqual([['word', "'%bob%'"]]);
    expect(terms('\\u0000 cafe\\')).toEqual([['word', '\\u0000'], ['word', 'cafe\\']]);
  });

  it('takes from:username (or from:@username, any case) as the sender, not as a term', () => {
    expect(parseSearchQuery('from:Bob cafe')).toMatchObject({ from: 'Bob', terms: [{ kind: 'word', text: 'cafe' }] });
    expect(parseSearchQuery('FROM:@bob cafe')).toMatchObject({ from: 'bob' });
    // Named twice alike: one sender.
    expect(parseSearchQuery('from:bob cafe from:BOB').from?.toLowerCase()).toBe('bob');
    // Quoted, it is a phrase to find.
    expect(parseSearchQuery('"from:bob"')).toMatchObject({ from: null, terms: [{ kind: 'phrase', text: 'from:bob' }] });
  });

  it('takes from: or from:@ with no name as text to find, not as an empty sender', () => {
    expect(parseSearchQuery('from: cafe')).toMatchObject({ from: null, terms: [{ text: 'from:' }, { text: 'cafe' }] });
    expect(parseSearchQuery('from:@ cafe')).toMatchObject({ from: null, terms: [{ text: 'from:@' }, { text: 'cafe' }] });
  });

  it('refuses two different senders with invalid_query', () => {
    expect(codeOf(() => parseSearchQuery('from:bob from:carol cafe'))).toBe('invalid_query');
  });

  it('refuses a query with nothing to find with invalid_query: empty, whitespace, punctuation, only from:', () => {
    for (const q of ['', ' ', '\t\n', '\u3000', '"', '""', '*', '-', '()', '%', '_', '\\', '&!?', "'", '.', '…', 'from:bob', 'from:bob "  "']) {
      expect({ q, code: codeOf(() => parseSearchQuery(q)) }).toEqual({ q, code: 'invalid_query' });
    }
  });

  it('finds symbols: an emoji alone, a currency sign, a math sign', () => {
    expect(terms('🎉')).toEqual([['word', '🎉']]);
    expect(terms('👍🏽 €')).toEqual([['word', '👍🏽'], ['word', '€']]);
    expect(terms('a+b')).toEqual([['word', 'a+b']]);
  });

  it(`refuses more than ${SEARCH_QUERY_MAX_CHARS} characters or ${SEARCH_QUERY_MAX_TERMS} terms with query_too_long`, () => {
    expect(codeOf(() => parseSearchQuery('a'.repeat(SEARCH_QUERY_MAX_CHARS)))).toBeNull();
    expect(codeOf(() => parseSearchQuery('a'.repeat(SEARCH_QUERY_MAX_CHARS + 1)))).toBe('query_too_long');
    // Counted after trimming, in code points (as the route's schema counts): an emoji is one.
    expect(codeOf(() => parseSearchQuery(`  ${'a'.repeat(SEARCH_QUERY_MAX_CHARS)}  `))).toBeNull();
    expect(codeOf(() => parseSearchQuery('😀'.repeat(SEARCH_QUERY_MAX_CHARS)))).toBeNull();
    expect(codeOf(() => parseSearchQuery('😀'.repeat(SEARCH_QUERY_MAX_CHARS + 1)))).toBe('query_too_long');
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(parseSearchQuery(words(SEARCH_QUERY_MAX_TERMS)).terms).toHaveLength(SEARCH_QUERY_MAX_TERMS);
    expect(codeOf(() => parseSearchQuery(words(SEARCH_QUERY_MAX_TERMS + 1)))).toBe('query_too_long');
    // from: and dropped tokens are not terms.
    expect(codeOf(() => parseSearchQuery(`from:bob ${words(SEARCH_QUERY_MAX_TERMS)} - * ""`))).toBeNull();
  });
});

describe('foldText', () => {
  it('folds case and diacritics', () => {
    expect(foldText('Café CRÈME Noël ÅÇÑ')).toBe('cafe creme noel acn');
    expect(foldText('Müller Ørsted Łódź')).toBe('muller ørsted łodz');
  });

  it('folds compatibility forms: ligatures, full width, superscripts, circled digits', () => {
    expect(foldText('ﬁnal ﬂow')).toBe('final flow');
    expect(foldText('ＡＢＣ１２３')).toBe('abc123');
    expect(foldText('x² ①')).toBe('x2 1');
  });

  it('keeps ß (NFKD has no decomposition for it): strasse does not find Straße', () => {
    expect(foldText('Straße')).toBe('straße');
    expect(foldText('STRASSE')).toBe('strasse');
    expect(foldText('ẞ')).toBe('ß');
  });

  it('folds a decomposed accent like a composed one, and İ to i', () => {
    expect(foldText('Cafe\u0301')).toBe(foldText('Café'));
    expect(foldText('İstanbul')).toBe('istanbul');
  });

  it('leaves scripts without case or marks to fold as they are; Hangul syllables stay composed', () => {
    expect(foldText('東京タワー')).toBe('東京タワー');
    expect(foldText('안녕하세요')).toBe('안녕하세요');
    expect(foldText('🎉👍🏽')).toBe('🎉👍🏽');
  });

  it('strips the dakuten of kana as a mark (が folds to か, as the indexes must too)', () => {
    expect(foldText('が')).toBe('か');
    expect(foldText('ガ')).toBe('カ');
  });
});

describe('isSubstringTerm and spacelessScript', () => {
  const term = (kind: SearchTerm['kind'], text: string): SearchTerm => ({ kind, text, raw: text });

  it(`finds words of 3 or more characters as substrings, shorter ones as whole words`, () => {
    expect(isSubstringTerm(term('word', 'ipp'))).toBe(true);
    expect(isSubstringTerm(term('word', 'b2'))).toBe(false);
    expect(isSubstringTerm(term('word', 'a'))).toBe(false);
    // Code points, not UTF-16 units: two emoji are two characters.
    expect(isSubstringTerm(term('word', '🎉🎉'))).toBe(false);
    expect(isSubstringTerm(term('word', '🎉🎉🎉'))).toBe(true);
  });

  it('finds every term of a spaceless script as a substring, whatever its length or kind, but a prefix as a prefix', () => {
    for (const text of ['東', '東京', 'が', 'タ', '안', 'ไทย']) {
      expect(spacelessScript(text)).toBe(true);
      expect(isSubstringTerm(term('word', text))).toBe(true);
      expect(isSubstringTerm(term('phrase', text))).toBe(true);
    }
    expect(isSubstringTerm(term('prefix', '東京'))).toBe(false);
    expect(spacelessScript('cafe 123 🎉')).toBe(false);
  });

  it('finds phrases and prefixes of other scripts as words', () => {
    expect(isSubstringTerm(term('phrase', 'new york'))).toBe(false);
    expect(isSubstringTerm(term('phrase', 'cafe'))).toBe(false);
    expect(isSubstringTerm(term('prefix', 'deplo'))).toBe(false);
  });
});

describe('search cursors', () => {
  it('round-trips a key for the order it was made for', () => {
    const cursor = encodeSearchCursor('relevance', [-1.25, '2026-01-01T00:00:00.000Z', 'id']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSearchCursor(cursor, 'relevance', ['number', 'string', 'string'])).toEqual([-1.25, '2026-01-01T00:00:00.000Z', 'id']);
  });

  it('refuses with invalid_cursor: another order, another shape, garbage, over-long strings', () => {
    const recent = encodeSearchCursor('recent', ['2026-01-01T00:00:00.000Z', 'id']);
    const refused = [
      () => decodeSearchCursor(recent, 'relevance', ['string', 'string']),
      () => decodeSearchCursor(recent, 'recent', ['string', 'string', 'string']),
      () => decodeSearchCursor(recent, 'recent', ['number', 'string']),
      () => decodeSearchCursor(encodeSearchCursor('recent', ['x'.repeat(201), 'id']), 'recent', ['string', 'string']),
      () => decodeSearchCursor('garbage', 'recent', ['string']),
      () => decodeSearchCursor('', 'recent', []),
      () => decodeSearchCursor(Buffer.from('null').toString('base64url'), 'recent', []),
      () => decodeSearchCursor(Buffer.from('{"o":"recent","k":"ab"}').toString('base64url'), 'recent', ['string', 'string']),
      () => decodeSearchCursor(Buffer.from('{"o":"recent","k":[null]}').toString('base64url'), 'recent', ['number']),
      () => decodeSearchCursor(Buffer.from('{"o":"recent","k":[1e999]}').toString('base64url'), 'recent', ['number']),
    ];
    for (const [i, decode] of refused.entries()) expect({ i, code: codeOf(decode) }).toEqual({ i, code: 'invalid_cursor' });
  });
});
