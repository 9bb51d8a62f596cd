// The search benchmark's corpus: deterministic, and its planted terms found at the rates the
// workload's cases assume, by the reference definition of a match.
import { describe, expect, it } from 'vitest';
import { SEARCH_CASES, SearchCorpus, PLANTED } from '../../../bench/workloads/search-corpus.js';
import { CHINESE, CODE, ENGLISH, FRENCH, GERMAN, JAPANESE, URLS } from '../../../bench/workloads/search-words.js';
import { queryMatches } from '../../../src/domain/search/reference-match.js';
import { foldText, parseSearchQuery } from '../../../src/domain/search/search-query.js';

const N = 20_000;

function draw(count: number, seed?: number): string[] {
  const corpus = new SearchCorpus(count, seed);
  return Array.from({ length: count }, () => corpus.next());
}

function share(messages: string[], q: string): number {
  const query = parseSearchQuery(q);
  return messages.filter((m) => queryMatches(query, m)).length / messages.length;
}

describe('the search benchmark corpus', () => {
  const messages = draw(N);

  it('is the same on every run with the same seed, and another with another seed', () => {
    expect(draw(N).slice(0, 500)).toEqual(messages.slice(0, 500));
    expect(draw(200, 18)).not.toEqual(draw(200));
  });

  it('has no planted term in its vocabulary, so each is found only where planted', () => {
    const vocabulary = [...ENGLISH, ...FRENCH, ...GERMAN, ...CHINESE, ...JAPANESE, ...URLS, ...CODE].map(foldText);
    for (const term of [PLANTED.common, PLANTED.rare, ...PLANTED.phrase, PLANTED.substring, PLANTED.cjk]) {
      expect(vocabulary.filter((w) => w.includes(term))).toEqual([]);
    }
  });

  it('finds the common word in about 5%, the phrase in about 0.5%, the substring and the CJK term in about 1%', () => {
    const byName = Object.fromEntries(SEARCH_CASES.map((c) => [c.name, share(messages, c.q)]));
    expect(byName['common word']).toBeGreaterThan(0.04);
    expect(byName['common word']).toBeLessThan(0.06);
    expect(byName.phrase).toBeGreaterThan(0.0035);
    expect(byName.phrase).toBeLessThan(0.007);
    expect(byName['3-char substring']).toBeGreaterThan(0.007);
    expect(byName['3-char substring']).toBeLessThan(0.014);
    expect(byName['CJK term']).toBeGreaterThan(0.007);
    expect(byName['CJK term']).toBeLessThan(0.014);
  });

  it('has the rare word in 50 messages, and each word of the phrase in more messages than the phrase', () => {
    expect(messages.filter((m) => m.includes(PLANTED.rare)).length).toBe(50);
    const phrase = share(messages, SEARCH_CASES.find((c) => c.name === 'phrase')!.q);
    expect(share(messages, `${PLANTED.phrase[0]} ${PLANTED.phrase[1]}`)).toBeGreaterThan(phrase * 1.5);
  });

  it('mixes English, accented French, German compounds, Chinese, Japanese, URLs and code', () => {
    const has = (pattern: RegExp) => messages.filter((m) => pattern.test(m)).length / N;
    expect(has(/\p{Script=Han}/u)).toBeGreaterThan(0.05);
    expect(has(/[\p{Script=Hiragana}\p{Script=Katakana}]/u)).toBeGreaterThan(0.03);
    expect(has(/[éèàçôû]/u)).toBeGreaterThan(0.05);
    expect(has(/\p{L}{25,}/u)).toBeGreaterThan(0.03);
    expect(has(/https?:\/\//)).toBeGreaterThan(0.03);
    expect(has(/`/)).toBeGreaterThan(0.02);
  });
});
