/**
 * The SQL functions the search indexes are fed with (docs/architecture.md, "Search"), registered
 * on every connection this process opens (sqlite-connection.ts), because the triggers that keep
 * the indexes call them on whichever connection writes a message: the writer thread's (sends),
 * the main one's (edits, deletes, migrations). The text is folded and split into words here, by
 * the domain's own functions, so the indexes hold exactly what the reference definition
 * (src/domain/search/reference-match.ts) compares: no tokenizer's idea of a word or of case can
 * disagree with it. A tool that writes messages on a connection of its own (the sqlite3 shell)
 * must not: its triggers would fail with "no such function".
 */
import type SQLite from 'better-sqlite3';
import { foldText } from '../../domain/search/search-query.js';
import { wordsOf } from '../../domain/search/reference-match.js';

/** The folded text (foldText): what the trigram index holds and substring terms are found in. */
export const FOLD_FUNCTION = 'pneumatic_search_fold';
/** The folded text's words (wordsOf) joined by single spaces: what the word index holds, one token a word. */
export const WORDS_FUNCTION = 'pneumatic_search_words';

export function registerSearchFunctions(db: SQLite.Database): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (text: unknown) => foldText(String(text ?? '')));
  db.function(WORDS_FUNCTION, { deterministic: true }, (text: unknown) => wordsOf(foldText(String(text ?? ''))).join(' '));
}
