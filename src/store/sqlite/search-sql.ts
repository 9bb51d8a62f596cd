/**
 * A search request as one SQLite statement (docs/architecture.md, "Search"). Each term is
 * answered where the reference definition (src/domain/search/reference-match.ts) says it matches:
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
 * Membership, deletion and the filters are conditions of the same statement. Relevance is the
 * bm25 of the word index for the terms' words (any of them); a hit whose terms match only inside
 * words has none and ranks after every hit that has one (bm25 is negative, it gets 0).
 */
import { isSubstringTerm, type SearchTerm } from '../../domain/search/search-query.js';
import { wordsOf } from '../../domain/search/reference-match.js';
import { FOLD_FUNCTION, gramToken } from './search-functions.js';

export type SearchOrderKey =
  | { order: 'recent'; createdAt: string; messageId: string }
  | { order: 'relevance'; rank: number; createdAt: string; messageId: string };

/** What the search thread runs: the request with the cursor already decoded. */
export interface SearchSpec {
  userId: string;
  terms: SearchTerm[];
  conversationId: string | null;
  senderId: string | null;
  before: string | null;
  after: string | null;
  order: 'relevance' | 'recent';
  /** Rows to read: the page's limit plus one, to tell whether there is a next page. */
  fetch: number;
  cursor: SearchOrderKey | null;
}

export interface SearchStatement {
  sql: string;
  params: (string | number)[];
}

/** An FTS5 string literal: the text between double quotes, each quote doubled. */
export const ftsString = (text: string) => `"${text.replace(/"/g, '""')}"`;

const SUBSTRING_INDEX_MIN_CHARS = 3;

interface Plan {
  trigram: string[];
  scan: string[];
  words: string[];
  rank: string[];
}

function plan(terms: readonly SearchTerm[]): Plan {
  const result: Plan = { trigram: [], scan: [], words: [], rank: [] };
  for (const term of terms) {
    const words = wordsOf(term.text);
    if (isSubstringTerm(term) || words.length === 0) {
      // The trigram index has no entry for a text shorter than a trigram.
      if (term.text.includes('\u0000')) result.scan.push(term.text);
      else if ([...term.text].length >= SUBSTRING_INDEX_MIN_CHARS) result.trigram.push(ftsString(term.text));
      else result.words.push(`grams : ${ftsString(gramToken(term.text))}`);
      result.rank.push(...words.map((word) => `words : ${ftsString(word)}`));
    } else {
      // Words hold letters and digits only, and the index's tokenizer splits at spaces: a phrase.
      const phrase = `words : ${ftsString(words.join(' '))}${term.kind === 'prefix' ? ' *' : ''}`;
      result.words.push(phrase);
      result.rank.push(phrase);
    }
  }
  return result;
}

/** The statement for one page; rows are messages (every column), with `rank` for relevance. */
export function searchStatement(spec: SearchSpec): SearchStatement {
  const p = plan(spec.terms);
  const params: (string | number)[] = [];
  const where: string[] = ['m.deleted_at is null', 'm.conversation_id in (select conversation_id from members where user_id = ?)'];
  params.push(spec.userId);
  if (p.trigram.length > 0) {
    where.push('m.rowid in (select rowid from message_trigrams where message_trigrams match ?)');
    params.push(p.trigram.join(' AND '));
  }
  if (p.words.length > 0) {
    where.push('m.rowid in (select rowid from message_words where message_words match ?)');
    params.push(p.words.join(' AND '));
  }
  for (const text of p.scan) {
    where.push(`instr(${FOLD_FUNCTION}(m.content), ?) > 0`);
    params.push(text);
  }
  const filters: [string, string | null][] = [
    ['m.conversation_id = ?', spec.conversationId],
    ['m.sender_id = ?', spec.senderId],
    ['m.created_at < ?', spec.before],
    ['m.created_at > ?', spec.after],
  ];
  for (const [condition, value] of filters) {
    if (value === null) continue;
    where.push(condition);
    params.push(value);
  }

  if (spec.order === 'recent') {
    const key = spec.cursor;
    if (key) {
      where.push('(m.created_at < ? or (m.created_at = ? and m.message_id < ?))');
      params.push(key.createdAt, key.createdAt, key.messageId);
    }
    params.push(spec.fetch);
    return { sql: `select m.* from messages m where ${where.join(' and ')} order by m.created_at desc, m.message_id desc limit ?`, params };
  }

  let ranked = 'select m.*, 0.0 as rank';
  let from = 'messages m';
  if (p.rank.length > 0) {
    ranked = 'select m.*, coalesce(s.score, 0.0) as rank';
    from = 'messages m left join (select rowid as id, bm25(message_words, 1.0, 0.0) as score from message_words where message_words match ?) s on s.id = m.rowid';
    params.unshift(p.rank.join(' OR '));
  }
  let sql = `select * from (${ranked} from ${from} where ${where.join(' and ')})`;
  const key = spec.cursor;
  if (key?.order === 'relevance') {
    sql += ' where (rank > ? or (rank = ? and (created_at < ? or (created_at = ? and message_id < ?))))';
    params.push(key.rank, key.rank, key.createdAt, key.createdAt, key.messageId);
  }
  params.push(spec.fetch);
  return { sql: `${sql} order by rank, created_at desc, message_id desc limit ?`, params };
}
