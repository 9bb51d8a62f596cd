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
import { foldText, spacelessScript } from '../../domain/search/search-query.js';
import { wordsOf } from '../../domain/search/reference-match.js';

/** The folded text (foldText): what the trigram index holds and substring terms are found in. */
export const FOLD_FUNCTION = 'pneumatic_search_fold';
/** The folded text's words (wordsOf) joined by single spaces: what the word index holds, one token a word. */
export const WORDS_FUNCTION = 'pneumatic_search_words';

/** The folded text's short grams (gramsOf), as tokens joined by spaces: what the word index's `grams` column holds. */
export const GRAMS_FUNCTION = 'pneumatic_search_grams';

export function registerSearchFunctions(db: SQLite.Database): void {
  db.function(FOLD_FUNCTION, { deterministic: true }, (text: unknown) => foldText(String(text ?? '')));
  db.function(WORDS_FUNCTION, { deterministic: true }, (text: unknown) => wordsOf(foldText(String(text ?? ''))).join(' '));
  db.function(GRAMS_FUNCTION, { deterministic: true }, (text: unknown) => gramsOf(foldText(String(text ?? ''))).map(gramToken).join(' '));
}

/** A character of a spaceless script or a symbol (an emoji): what every 1–2 character substring term holds. */
const gramChar = (char: string) => spacelessScript(char) || /\p{S}/u.test(char);

/**
 * The substrings a 1–2 character substring term can be (search-sql.ts), which the trigram index
 * cannot find: each such character alone, and each pair of neighbours of which one is such a
 * character. A term of that kind (a spaceless script's, or one without letters or digits, whose
 * characters are then symbols) is a substring of the text exactly when it is one of them.
 */
export function gramsOf(folded: string): string[] {
  const chars = [...folded];
  const grams = new Set<string>();
  chars.forEach((char, i) => {
    const next = chars[i + 1];
    if (gramChar(char)) grams.add(char);
    if (next !== undefined && (gramChar(char) || gramChar(next))) grams.add(char + next);
  });
  return [...grams];
}

/** A gram as one token of the `ascii` tokenizer (letters and digits only, whatever the gram holds): its code points in hex. */
export function gramToken(gram: string): string {
  return `g${[...gram].map((char) => char.codePointAt(0)!.toString(16)).join('x')}`;
}
