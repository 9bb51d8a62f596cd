/**
 * The SQLite search indexes (migration 0010; docs/architecture.md, "Search"):
 *
 * - `message_words`: FTS5 over each message's words (folded and split by search-functions.ts,
 *   joined by spaces), with the `ascii` tokenizer, which splits only at ASCII spaces and
 *   punctuation and keeps every other character: so each token is exactly one word of the
 *   reference definition. (`unicode61` on the raw text disagrees with it: it splits Devanagari
 *   words at their vowel signs, keeps full-width `ＯＫ` apart from `ok`, and knows the letters of
 *   Unicode 6.1 only.) Whole words, phrases, prefixes and bm25 ranking. Its second column,
 *   `grams`, holds the 1–2 character substrings of spaceless scripts and symbols (gramsOf), so a
 *   term such as `北京` or `👍`, too short for trigrams, is an index lookup too.
 * - `message_trigrams`: FTS5 trigram over the folded text, case-sensitive (the text is already
 *   folded): substrings of 3 characters or more, in every script.
 *
 * Both are contentless (`content=''`, so no third copy of the text) with `contentless_delete=1`
 * (SQLite 3.43), so a row leaves by its rowid alone. Their rowid is the message's rowid
 * (messages has a text key, so rowid is implicit): see docs/architecture.md for VACUUM.
 * Migration 0011 (search-queue.ts) replaces the triggers created here: sends queue their
 * messages, and the search thread moves them into both tables in batches.
 *
 * Existing messages: indexed here, inside the migration's transaction, when there are few;
 * otherwise `search_backfill` records where the background backfill (search-backfill.ts) is,
 * and the server indexes them after start, newest first, a batch per short transaction.
 */
import { sql, type Kysely } from 'kysely';
import { FOLD_FUNCTION, GRAMS_FUNCTION, WORDS_FUNCTION } from './search-functions.js';

/** Up to this many existing messages are indexed in the migration itself (a few seconds, at about 5,000 a second). */
export const INLINE_INDEX_MAX_MESSAGES = 20_000;

export async function sqliteSearchSchema(db: Kysely<unknown>): Promise<void> {
  await sql`create virtual table message_words using fts5(words, grams, content='', contentless_delete=1, tokenize='ascii')`.execute(db);
  await sql`create virtual table message_trigrams using fts5(text, content='', contentless_delete=1, tokenize='trigram case_sensitive 1')`.execute(db);
  for (const statement of triggers()) await sql.raw(statement).execute(db);
  await sql`create table search_backfill (id integer primary key check (id = 1), next_rowid integer not null)`.execute(db);

  const { count, top } = (await sql<{ count: number; top: number | null }>`select count(*) as count, max(rowid) as top from messages`.execute(db)).rows[0]!;
  if (count <= INLINE_INDEX_MAX_MESSAGES) {
    for (const statement of indexRangeSql('insert')) await sql.raw(statement).execute(db);
  } else {
    await sql`insert into search_backfill (id, next_rowid) values (1, ${top ?? 0})`.execute(db);
  }
}

function triggers(): string[] {
  const insertBoth = (row: string, when: string) =>
    `insert into message_words (rowid, words, grams) select ${row}.rowid, ${WORDS_FUNCTION}(${row}.content), ${GRAMS_FUNCTION}(${row}.content) where ${when};\n` +
    `  insert into message_trigrams (rowid, text) select ${row}.rowid, ${FOLD_FUNCTION}(${row}.content) where ${when};`;
  const deleteBoth = `delete from message_words where rowid = old.rowid;\n  delete from message_trigrams where rowid = old.rowid;`;
  return [
    `create trigger messages_search_insert after insert on messages begin\n  ${insertBoth('new', 'new.deleted_at is null')}\nend`,
    // An edit changes content; a delete empties it and sets deleted_at: the row leaves, and comes back only with text.
    `create trigger messages_search_update after update of content, deleted_at on messages begin\n  ${deleteBoth}\n  ${insertBoth('new', 'new.deleted_at is null')}\nend`,
    `create trigger messages_search_delete after delete on messages begin\n  ${deleteBoth}\nend`,
  ];
}

/**
 * Indexes the live messages of a rowid range (all of them without bounds). `replace` (the
 * backfill, after migration 0011): a message an edit already indexed is replaced, not doubled,
 * and a queued one (search-queue.ts) is left to the queue's drain.
 */
export function indexRangeSql(mode: 'insert' | 'replace', bounded = false): [string, string] {
  const queued = mode === 'replace' ? ' and m.rowid not in (select message_rowid from search_pending)' : '';
  const where = `m.deleted_at is null${bounded ? ' and m.rowid <= ? and m.rowid > ?' : ''}${queued}`;
  return indexInsertsSql(mode === 'insert' ? 'insert' : 'insert or replace', `from messages m where ${where}`);
}

/** The two inserts, one per index, of the messages a `from …` clause selects (the table aliased `m`). */
export function indexInsertsSql(verb: 'insert' | 'insert or replace', from: string): [string, string] {
  return [
    `${verb} into message_words (rowid, words, grams) select m.rowid, ${WORDS_FUNCTION}(m.content), ${GRAMS_FUNCTION}(m.content) ${from}`,
    `${verb} into message_trigrams (rowid, text) select m.rowid, ${FOLD_FUNCTION}(m.content) ${from}`,
  ];
}
