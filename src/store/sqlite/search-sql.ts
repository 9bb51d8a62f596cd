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

/**
 * How the hits are found among the caller's messages. `index`: each index hit's message is read
 * and kept if the caller is a member; cheap while the terms are rare. `members`: the caller's
 * live messages are read from `messages_unread` (conversation, seq; migration 0009), and each is
 * kept if its rowid is among the index hits (an in-memory set); cheaper once the hits number in
 * the tens of thousands, because only the caller's hits are read from the table.
 */
export type SearchDrive = 'index' | 'members';

/** Index hits past which the `members` drive is cheaper (measured at 1 M messages, docs/architecture.md). */
export const MEMBERS_DRIVE_MIN_HITS = 10_000;

/** A statement counting the hits of the query's first index (trigrams, else words), up to `cap`; null when no index is asked. */
export function probeStatement(spec: SearchSpec, cap: number): SearchStatement | null {
  const p = plan(spec.terms);
  const [table, match] = p.trigram.length > 0 ? ['message_trigrams', p.trigram.join(' AND ')] : ['message_words', p.words.join(' AND ')];
  if (match === '') return null;
  return { sql: `select count(*) as hits from (select rowid from ${table} where ${table} match ? limit ?)`, params: [match, cap] };
}

/** The statement for one page; rows are messages (every column), with `rank` for relevance. */
export function searchStatement(spec: SearchSpec, drive: SearchDrive = 'index'): SearchStatement {
  const p = plan(spec.terms);
  const params: (string | number)[] = [spec.userId];
  const from =
    drive === 'index'
      ? 'messages m'
      : 'members mb cross join messages m indexed by messages_unread on m.conversation_id = mb.conversation_id';
  const where: string[] =
    drive === 'index'
      ? ['m.deleted_at is null', 'm.conversation_id in (select conversation_id from members where user_id = ?)']
      : ['mb.user_id = ?', 'm.deleted_at is null'];
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
    return { sql: `select m.* from ${from} where ${where.join(' and ')} order by m.created_at desc, m.message_id desc limit ?`, params };
  }

  // The caller's hits first (materialized), then their scores: bm25 is computed only for the
  // index rows among those hits (the doclists are still read whole, which is cheap; the scoring
  // is not), and once per statement (as a plain subquery SQLite ran the MATCH per message).
  const hits = `hits as materialized (select m.rowid as id from ${from} where ${where.join(' and ')})`;
  let sql = `with ${hits} select * from (select m.*, 0.0 as rank from hits h cross join messages m on m.rowid = h.id)`;
  if (p.rank.length > 0) {
    sql =
      `with ${hits}, s as materialized (select rowid as id, bm25(message_words, 1.0, 0.0) as score from message_words ` +
      'where message_words match ? and +rowid in (select id from hits)) ' +
      'select * from (select m.*, coalesce(s.score, 0.0) as rank from hits h cross join messages m on m.rowid = h.id left join s on s.id = h.id)';
    params.push(p.rank.join(' OR '));
  }
  const key = spec.cursor;
  if (key?.order === 'relevance') {
    sql += ' where (rank > ? or (rank = ? and (created_at < ? or (created_at = ? and message_id < ?))))';
    params.push(key.rank, key.rank, key.createdAt, key.createdAt, key.messageId);
  }
  params.push(spec.fetch);
  return { sql: `${sql} order by rank, created_at desc, message_id desc limit ?`, params };
}
