/**
 * Search snippets (src/domain/search/snippet.ts): the excerpt around the first match, cut with …
 * and never inside a surrogate pair, and highlights as [start, end) offsets into it that cover
 * what the reference definition matched, in the message's own spelling (accents, ligatures,
 * full width, combining marks).
 */
import { describe, expect, it } from 'vitest';
import { queryMatches, wordsOf } from '../../../src/domain/search/reference-match.js';
import { foldText, isSubstringTerm, parseSearchQuery, type SearchTerm } from '../../../src/domain/search/search-query.js';
import { makeSnippet, SNIPPET_MAX_CHARS } from '../../../src/domain/search/snippet.js';
import { CORPUS, QUERIES } from '../../helpers/search-corpus.js';

const snip = (content: string, q: string, max?: number) => makeSnippet(content, parseSearchQuery(q).terms, max);
const marked = (content: string, q: string, max?: number) => {
  const { snippet, highlights } = snip(content, q, max);
  return highlights.map(([s, e]) => snippet.slice(s, e));
};
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

describe('makeSnippet', () => {
  it('returns short content whole, as plain text, with every match marked', () => {
    expect(snip("Café au lait, s'il vous plaît: café!", 'cafe')).toEqual({ snippet: "Café au lait, s'il vous plaît: café!", highlights: [[0, 4], [31, 35]] });
    expect(snip('<b>bold</b> <script>x</script>', 'bold')).toEqual({ snippet: '<b>bold</b> <script>x</script>', highlights: [[3, 7]] });
  });

  it('marks short words only as whole words, prefixes to the end of the word, each word of a phrase', () => {
    expect(marked('a banana and a pear', 'a')).toEqual(['a', 'a']);
    expect(marked('Deploying deployed redeploy', 'deplo*')).toEqual(['Deploying', 'deployed']);
    expect(marked('New York, new Yorkers', '"new york"')).toEqual(['New', 'York', 'new']);
    // Touching matches make one range.
    expect(marked('Mississippi', 'ssi')).toEqual(['ssissi']);
    expect(marked('e-mail me', 'e-ma*')).toEqual(['e', 'mail']);
  });

  it('marks a symbol next to a word, and a short term written with punctuation by its word', () => {
    expect(marked('job🎉 done', '🎉')).toEqual(['🎉']);
    expect(marked('a, b', 'a.')).toEqual(['a']);
  });

  it('merges touching matches into one range', () => {
    expect(snip('Great 🎉🎉 team', '🎉').highlights).toEqual([[6, 10]]);
  });

  it('maps folded matches back to the original characters: ligatures, full width, combining marks, Hangul', () => {
    expect(marked('The ﬁnal ﬁx', 'final')).toEqual(['ﬁnal']);
    expect(marked('inﬁnite', 'inf')).toEqual(['inﬁ']);
    expect(marked('Code ＡＢＣ１２３ ok', 'abc123')).toEqual(['ＡＢＣ１２３']);
    expect(marked('Cafe\u0301 noir', 'cafe')).toEqual(['Cafe\u0301']);
    expect(marked('CAFÉ', 'café')).toEqual(['CAFÉ']);
    expect(marked('안녕하세요 여러분', '여러')).toEqual(['여러']);
    expect(marked('東京タワーに行った', 'タワー')).toEqual(['タワー']);
  });

  it('cuts long content around the first match with …, the highlights shifted into the excerpt', () => {
    const before = 'lorem ipsum dolor sit amet '.repeat(20);
    const content = `${before}the needle is here ${'and more text after it '.repeat(20)}`;
    const { snippet, highlights } = snip(content, 'needle');
    expect(snippet.startsWith('…')).toBe(true);
    expect(snippet.endsWith('…')).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS + 2);
    expect(content).toContain(snippet.slice(1, -1));
    expect(highlights).toHaveLength(1);
    expect(snippet.slice(...highlights[0]!)).toBe('needle');
    // Some context before the match.
    expect(highlights[0]![0]).toBeGreaterThan(10);
  });

  it('starts at the beginning when the match is there, and ends at the end when the match is there', () => {
    const filler = 'word '.repeat(100);
    const atStart = snip(`needle ${filler}`, 'needle');
    expect(atStart.snippet.startsWith('needle')).toBe(true);
    expect(atStart.snippet.endsWith('…')).toBe(true);
    expect(atStart.highlights).toEqual([[0, 6]]);
    const atEnd = snip(`${filler}needle`, 'needle');
    expect(atEnd.snippet.startsWith('…')).toBe(true);
    expect(atEnd.snippet.endsWith('needle')).toBe(true);
    expect(atEnd.snippet.slice(...atEnd.highlights[0]!)).toBe('needle');
  });

  it('starts at the beginning, unmarked, when no term is in the text', () => {
    const { snippet, highlights } = snip('x'.repeat(300), 'needle');
    expect(highlights).toEqual([]);
    expect(snippet).toBe(`${'x'.repeat(SNIPPET_MAX_CHARS)}…`);
  });

  it('never cuts a surrogate pair in two, wherever the cut falls', () => {
    for (let shift = 0; shift < 12; shift++) {
      for (const emoji of ['😀', '👍🏽', '𠀋']) {
        const content = `${'x'.repeat(shift)}${emoji.repeat(150)} needle ${emoji.repeat(150)}`;
        const { snippet, highlights } = snip(content, 'needle');
        expect({ shift, emoji, lone: LONE_SURROGATE.test(snippet) }).toEqual({ shift, emoji, lone: false });
        expect(snippet.slice(...highlights[0]!)).toBe('needle');
      }
    }
  });

  it('never leaves a highlight outside the snippet or cut by the …', () => {
    const content = `${'a '.repeat(120)}tail`;
    const { snippet, highlights } = snip(content, 'a', 50);
    expect(highlights.length).toBeGreaterThan(0);
    for (const [s, e] of highlights) {
      expect(s).toBeGreaterThanOrEqual(0);
      expect(e).toBeLessThanOrEqual(snippet.length);
      expect(snippet.slice(s, e)).toBe('a');
    }
  });
});

/** What a highlight of this term may contain, folded: its text, or one of its words. */
function needles(term: SearchTerm): string[] {
  const words = wordsOf(term.text);
  return isSubstringTerm(term) || words.length === 0 ? [term.text] : words;
}

describe('makeSnippet over the search corpus', () => {
  it('marks something for every message a query of the table matches, each mark holding a term, in order', () => {
    const problems: string[] = [];
    for (const q of QUERIES) {
      let parsed;
      try {
        parsed = parseSearchQuery(q);
      } catch {
        continue;
      }
      for (const { key, text } of CORPUS) {
        if (!queryMatches(parsed, text)) continue;
        const { snippet, highlights } = makeSnippet(text, parsed.terms);
        if (highlights.length === 0) problems.push(`${q} in ${key}: no highlight`);
        let last = -1;
        for (const [s, e] of highlights) {
          if (s < last || e <= s || e > snippet.length) problems.push(`${q} in ${key}: bad range [${s}, ${e}]`);
          last = e;
          const folded = foldText(snippet.slice(s, e));
          if (!parsed.terms.some((term) => needles(term).some((needle) => folded.includes(needle)))) problems.push(`${q} in ${key}: "${snippet.slice(s, e)}" holds no term`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
