/**
 * A parsed query's terms as PostgreSQL conditions over `messages m` (docs/architecture.md,
 * "Search"), each the SQL form of reference-match.ts termMatches. User text only ever reaches
 * PostgreSQL as a bound parameter: a LIKE pattern with `\ % _` escaped, a needle for strpos, or
 * plain words that phraseto_tsquery splits as text (never to_tsquery syntax); a prefix lexeme
 * is a tsquery literal of letters and digits only, quoted.
 */
import { sql, type RawBuilder } from 'kysely';
import { wordsOf } from '../../domain/search/reference-match.js';
import { isSubstringTerm, spacelessScript, type SearchTerm } from '../../domain/search/search-query.js';

/** Three word characters in a row: pg_trgm then has a trigram to look up (else a LIKE would scan the whole index). */
const TRIGRAM = /[\p{L}\p{N}]{3}/u;

export interface TermConditions {
  /** Every term's condition, to AND together. */
  where: RawBuilder<unknown>[];
  /** What relevance ranks by (ts_rank): every term's words as words, so whole-word matches rank above substring-only ones; null when no term has words. */
  rankQuery: RawBuilder<unknown> | null;
  /** A term no stored message can contain (a NUL character): the query finds nothing. */
  impossible: boolean;
}

export function termConditions(terms: readonly SearchTerm[]): TermConditions {
  const where: RawBuilder<unknown>[] = [];
  const wordQueries: RawBuilder<unknown>[] = [];
  const rankQueries: RawBuilder<unknown>[] = [];
  let impossible = false;
  for (const term of terms) {
    // pneumatic_fold writes every sigma as `σ` (search-schema.ts): so does the term.
    const text = term.text.replace(/ς/gu, 'σ');
    const words = wordsOf(text);
    const spaceless = spacelessScript(text);
    if (isSubstringTerm(term) || words.length === 0) {
      if (text.includes('\u0000')) impossible = true;
      where.push(substringCondition(text));
      if (!spaceless && words.length > 0) rankQueries.push(wordsQuery(words, false));
      continue;
    }
    const query = wordsQuery(words, term.kind === 'prefix');
    rankQueries.push(query);
    const last = words.at(-1)!;
    if (term.kind === 'prefix' && TRIGRAM.test(last)) {
      // A prefix query on GIN collects every entry of every word with that prefix, in every
      // conversation, once per conversation scanned: instead the trigram index finds the
      // candidates (the prefix is a substring) and the word condition checks each, unindexed.
      where.push(substringCondition(last), sql`(pneumatic_search_words(m.content) @@ ${query}) is true`);
      continue;
    }
    wordQueries.push(query);
  }
  // One tsquery for all word terms: one GIN search.
  if (wordQueries.length > 0) where.push(sql`pneumatic_search_words(m.content) @@ (${sql.join(wordQueries, sql` && `)})`);
  return { where, rankQuery: rankQueries.length === 0 ? null : sql`(${sql.join(rankQueries, sql` || `)})`, impossible };
}

/** The folded text contains `needle`: LIKE when the trigram index can serve it, else strpos (never a full index scan). */
function substringCondition(needle: string): RawBuilder<unknown> {
  if (TRIGRAM.test(needle)) return sql`pneumatic_fold(m.content) like ${`%${escapeLike(needle)}%`}`;
  return sql`strpos(pneumatic_fold(m.content), ${needle}) > 0`;
}

/** LIKE's default escape is the backslash. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/gu, (c) => `\\${c}`);
}

/** These words consecutively (`<->`), the last as a prefix (`:*`) when asked. */
function wordsQuery(words: readonly string[], lastIsPrefix: boolean): RawBuilder<unknown> {
  if (!lastIsPrefix) return sql`phraseto_tsquery('simple', ${words.join(' ')})`;
  const prefix = sql`${prefixLexeme(words.at(-1)!)}::tsquery`;
  if (words.length === 1) return prefix;
  return sql`tsquery_phrase(phraseto_tsquery('simple', ${words.slice(0, -1).join(' ')}), ${prefix})`;
}

/** `'word':*` in tsquery syntax; the word is letters and digits (wordsOf), quoted anyway. */
export function prefixLexeme(word: string): string {
  return `'${word.replace(/\\/gu, '\\\\').replace(/'/gu, "''")}':*`;
}
