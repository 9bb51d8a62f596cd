/**
 * How the directory matches (docs/API.md, "Finding people"): a query matches a user when it is a
 * prefix of their username, of a part of it (split at `.`, `_`, `-`), of their display name or
 * of any word of it, compared folded: case-insensitive and accent-insensitive ("jose" finds
 * "José", "ANNA" finds "anna"). The store keeps each user's folded terms in an index and asks
 * for the range of terms that start with the folded query.
 */

/**
 * Latin letters whose "accent" is part of the letter (no Unicode decomposition takes it off),
 * spelt as people type them on a keyboard without it: "orsted" finds "Ørsted", "lukasz" finds
 * "Łukasz", "strasse" finds "Straße".
 */
const BASE_LETTERS: Record<string, string> = { ø: 'o', ł: 'l', đ: 'd', ð: 'd', ħ: 'h', ı: 'i', ŧ: 't', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };
const BASE_LETTER = new RegExp(`[${Object.keys(BASE_LETTERS).join('')}]`, 'gu');

/** Lower-case, accents and other combining marks removed, compatibility forms unified (ﬁ → fi, ｆ → f). */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(BASE_LETTER, (letter) => BASE_LETTERS[letter] ?? letter)
    .normalize('NFC');
}

/** Every term a user is found by: whole names and their words, folded, without repeats. */
export function searchTermsOf(username: string, displayName: string | null): string[] {
  const terms = new Set<string>();
  const name = foldForSearch(username);
  terms.add(name);
  for (const part of name.split(/[._-]+/)) if (part.length > 0) terms.add(part);
  if (displayName !== null) {
    const folded = foldForSearch(displayName).trim().replace(/\s+/gu, ' ');
    if (folded.length > 0) terms.add(folded);
    for (const word of folded.split(/[\s\p{P}\p{S}]+/u)) if (word.length > 0) terms.add(word);
  }
  return [...terms];
}

/**
 * The exclusive upper bound of the terms starting with `prefix`: the prefix followed by the
 * highest code point. Both stores compare terms by code point (SQLite's BINARY on UTF-8,
 * PostgreSQL's "C" collation), so every term with the prefix sorts between the two.
 */
export function prefixUpperBound(prefix: string): string {
  return prefix + '\u{10FFFF}';
}
