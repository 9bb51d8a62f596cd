/**
 * Regular-expression bracket classes (PostgreSQL ARE syntax, `\uXXXX` / `\UXXXXXXXX` escapes)
 * of the code points a JavaScript Unicode property matches: so PostgreSQL folds and splits text
 * by the same tables as src/domain/search (foldText, wordsOf), not by the C library's locale.
 * Computed when the search functions are created (migration 0010), from this Node's Unicode.
 */

/** The inside of a bracket expression matching every code point `property` matches. */
export function bracketClassOf(property: RegExp): string {
  const parts: string[] = [];
  let start = -1;
  for (let cp = 0; cp <= 0x110000; cp++) {
    const surrogate = cp >= 0xd800 && cp <= 0xdfff;
    const inside = cp < 0x110000 && !surrogate && property.test(String.fromCodePoint(cp));
    if (inside && start < 0) start = cp;
    if (!inside && start >= 0) {
      parts.push(start === cp - 1 ? escape(start) : `${escape(start)}-${escape(cp - 1)}`);
      start = -1;
    }
  }
  return parts.join('');
}

function escape(cp: number): string {
  return cp <= 0xffff ? `\\u${cp.toString(16).padStart(4, '0')}` : `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Combining marks: what foldText removes after the compatibility decomposition. */
export const MARK = /^\p{M}$/u;
/** Word characters (reference-match.ts WORD, less the marks folding removed). */
export const WORD_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
