/**
 * The directory workload's queries (GET /users?q=…) and what each should find. A mix of what a
 * people picker sends as someone types: two letters (thousands of matches), three to five,
 * accented and upper-case spellings, words found only in display names, queries that find
 * nobody, and next pages (directory-search.ts adds those, with the cursors the first walk got).
 * Expected matches come from the domain's own definition (searchTermsOf, a term starting with
 * the folded query), counted while seeding, for both DIRECTORY_VISIBILITY settings.
 */
import { foldForSearch, searchTermsOf } from '../../src/domain/profiles/search-terms.js';

export type DirectoryKind = '2 characters' | '3–5 characters' | 'accents and case' | 'display-name words' | 'no match' | 'next page';
export const DIRECTORY_KINDS: readonly DirectoryKind[] = ['2 characters', '3–5 characters', 'accents and case', 'display-name words', 'no match', 'next page'];

export interface DirectoryCase {
  kind: Exclude<DirectoryKind, 'next page'>;
  /** The `q` parameter as a user types it. */
  q: string;
  /** Follow next_cursor: the pages up to `pages` become "next page" requests of the mix. */
  pages?: number;
}

/** The directory's p99 target at 100,000 users (issue #21), SQLite and PostgreSQL. */
export const DIRECTORY_TARGET_P99_MS = 20;

export const DIRECTORY_CASES: readonly DirectoryCase[] = [
  { kind: '2 characters', q: 'ma', pages: 10 },
  { kind: '2 characters', q: 'jo', pages: 10 },
  { kind: '2 characters', q: 'an', pages: 5 },
  { kind: '2 characters', q: 'li' },
  { kind: '2 characters', q: 'sa' },
  { kind: '3–5 characters', q: 'mar', pages: 5 },
  { kind: '3–5 characters', q: 'kowa', pages: 3 },
  { kind: '3–5 characters', q: 'nguy' },
  { kind: '3–5 characters', q: 'sven' },
  { kind: '3–5 characters', q: 'sch' },
  { kind: '3–5 characters', q: 'pat' },
  { kind: '3–5 characters', q: 'will' },
  // Folding spells ł as l and ø as o, so "luk" and "Łuk" (and "orst" and "Ørst") find the same
  // people: lukasz.nowak by the username and Łukasz Nowak by the display name.
  { kind: '3–5 characters', q: 'luk' },
  { kind: '3–5 characters', q: 'orst' },
  { kind: 'accents and case', q: 'José' },
  { kind: 'accents and case', q: 'ZOË' },
  { kind: 'accents and case', q: 'Łuk' },
  { kind: 'accents and case', q: 'MÜLL' },
  { kind: 'accents and case', q: 'Ørst' },
  { kind: 'accents and case', q: 'GARCÍA', pages: 3 },
  { kind: 'display-name words', q: 'isab' },
  { kind: 'display-name words', q: 'grac' },
  { kind: 'display-name words', q: 'elen' },
  { kind: 'display-name words', q: 'brie' },
  { kind: 'display-name words', q: 'lóp' },
  { kind: 'display-name words', q: 'ana maría' },
  { kind: 'no match', q: 'zzq' },
  { kind: 'no match', q: 'qxw' },
];

/** Counts, per case, the users each visibility lets the searcher find. */
export class MatchCounter {
  private readonly prefixes = DIRECTORY_CASES.map((c) => foldForSearch(c.q.trim()));
  readonly all: number[] = DIRECTORY_CASES.map(() => 0);
  readonly shared: number[] = DIRECTORY_CASES.map(() => 0);

  /** One user; `shared`: they share a conversation with the searcher. Returns their terms. */
  count(username: string, displayName: string | null, shared: boolean): string[] {
    const terms = searchTermsOf(username, displayName);
    this.prefixes.forEach((prefix, i) => {
      if (!terms.some((term) => term.startsWith(prefix))) return;
      this.all[i]! += 1;
      if (shared) this.shared[i]! += 1;
    });
    return terms;
  }
}

/** Whether a user the server returned matches `q` by the domain's definition. */
export function userMatches(q: string, username: string, displayName: string | null): boolean {
  const prefix = foldForSearch(q.trim());
  return searchTermsOf(username, displayName).some((term) => term.startsWith(prefix));
}
