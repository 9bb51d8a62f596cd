/**
 * PostgreSQL's search schema (migration 0010; docs/architecture.md, "Search"): pg_trgm and btree_gin, two
 * functions that fold and split text as src/domain/search does, and two GIN expression indexes
 * over messages. The indexes are expressions, not stored columns: PostgreSQL keeps them in the
 * send's, edit's and delete's own transaction, existing rows need no backfill, and sends keep
 * returning the rows they did (a stored tsvector would travel back with every `returning *`).
 *
 * - `pneumatic_fold(text)`: foldText (NFKD, combining marks removed, lower case, NFC), with one
 *   difference: every sigma is `σ` (PostgreSQL's lower() cannot tell a word's final `ς`, which
 *   JavaScript's writes), and the provider folds its terms' sigmas alike. Not
 *   `unaccent`: it maps more than the reference does (`ø` → `o`, `æ` → `ae`), and less
 *   (full-width forms, `ﬁ`, the voicing marks of kana), so results would disagree. ASCII text
 *   (one byte per character) is only lowered: the rest would not change it, and costs ten times
 *   more, which every substring candidate's recheck pays.
 * - `pneumatic_search_words(text)`: a `simple` tsvector of the folded text with every run of
 *   non-word characters turned into one space, so the parser's e-mail, URL, host and
 *   hyphenated-word tokens never arise and its words are reference-match.ts wordsOf's.
 * - `messages_search_words` GIN (conversation_id, pneumatic_search_words(content)): words,
 *   phrases, prefixes.
 * - `messages_search_trigrams` GIN (conversation_id, pneumatic_fold(content) gin_trgm_ops):
 *   substrings (LIKE).
 *
 * The conversation leads both (btree_gin): a search runs one index scan per conversation of the
 * caller, so a common word costs the caller's share of its hits, not every conversation's (at
 * 1 M messages, a word in 5 % of them: 5,000 rows read instead of 50,000).
 *
 * Both functions are IMMUTABLE with SQL-standard bodies, resolved when created: no search_path
 * at run time (pg_restore, autovacuum's analyze). Neither is STRICT, so the planner inlines both
 * (it inlines a STRICT SQL function only when its body is strict too, and a CASE or a call of a
 * non-strict function is not): the index expressions are kept inlined in the relation cache, and
 * a send evaluates plain built-in calls. A function left as a call runs through the SQL-function
 * executor, which reads and plans its body (a 5–13 KB regular expression) again in every
 * statement: 1–2 ms a send statement, most of what the indexes cost a small transaction
 * (docs/architecture.md, "Search", PostgreSQL cost). NULL still gives NULL: content is NOT NULL,
 * and every call in the bodies returns NULL for it.
 */
import { sql, type Kysely } from 'kysely';
import { bracketClassOf, MARK, WORD_CHAR } from './unicode-classes.js';

/** At most this many messages, the migration builds the indexes itself; more, they are built at start without blocking writes (search-index-build.ts). */
export const SEARCH_INDEX_INLINE_MAX_ROWS = 20_000;

/** The indexes search reads, as `create index` would write them after the index name. */
export const SEARCH_INDEXES: readonly { name: string; definition: string }[] = [
  { name: 'messages_search_words', definition: 'on messages using gin (conversation_id, pneumatic_search_words(content))' },
  { name: 'messages_search_trigrams', definition: 'on messages using gin (conversation_id, pneumatic_fold(content) gin_trgm_ops)' },
];

export async function postgresSearchSchema(db: Kysely<unknown>): Promise<void> {
  // Trusted extensions (PostgreSQL 13+): the database owner may create them with CREATE on the
  // database; when an administrator created them already, nothing is asked of the owner.
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists btree_gin`.execute(db);
  const marks = `[${bracketClassOf(MARK)}]`;
  const nonWords = `[^${bracketClassOf(WORD_CHAR)}]+`;
  await sql`create or replace function pneumatic_fold(t text) returns text
    language sql immutable parallel safe
    return case when pg_catalog.octet_length(t) = pg_catalog.char_length(t) then pg_catalog.lower(t)
      else pg_catalog.normalize(pg_catalog.translate(pg_catalog.lower(pg_catalog.regexp_replace(pg_catalog.normalize(t, 'NFKD'), ${sql.lit(marks)}, '', 'g')), 'ς', 'σ'), 'NFC') end`.execute(db);
  await sql`create or replace function pneumatic_search_words(t text) returns tsvector
    language sql immutable parallel safe
    return pg_catalog.to_tsvector('pg_catalog.simple'::regconfig, pg_catalog.regexp_replace(pneumatic_fold(t), ${sql.lit(nonWords)}, ' ', 'g'))`.execute(
    db,
  );
  const { rows } = await sql<{ n: string }>`select count(*) as n from (select 1 from messages limit ${SEARCH_INDEX_INLINE_MAX_ROWS + 1}) m`.execute(db);
  if (Number(rows[0]?.n ?? 0) > SEARCH_INDEX_INLINE_MAX_ROWS) return;
  // A small table is indexed here, in the migration's transaction: a second or less of blocked sends.
  for (const index of SEARCH_INDEXES) await sql.raw(`create index if not exists ${index.name} ${index.definition}`).execute(db);
}
