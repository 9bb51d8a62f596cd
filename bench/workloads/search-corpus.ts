/**
 * The search workload's messages: a deterministic mix (seeded PRNG) of English sentences drawn
 * from a Zipf-like word list, French with accents, German compounds, Chinese and Japanese
 * sentences, URLs and code, with known terms planted at known rates, and the queries that look
 * for them (SEARCH_CASES). The same seed and order give the same corpus on every run.
 */
import { seededRandom } from '../lib/setup.js';
import { CHINESE, CODE, ENGLISH, FRENCH, GERMAN, JAPANESE, SUBSTRING_CARRIERS, URLS } from './search-words.js';

/** The terms planted in the corpus; no word of search-words.ts contains one (unit-tested). */
export const PLANTED = {
  /** In about 5% of messages, as a word of its own. */
  common: 'deploy',
  /** In about 50 messages of the whole corpus, spread evenly. */
  rare: 'zanzibar',
  /** Next to each other in about 0.5% of messages; each alone, or both apart, in about 2.5% more. */
  phrase: ['merge', 'conflict'] as const,
  /** Inside longer words (SUBSTRING_CARRIERS) in about 1% of messages. */
  substring: 'ipp',
  /** Chinese for "database", in a fifth of the Chinese messages (about 1%). */
  cjk: '数据库',
};

export interface SearchCase {
  /** Names the case in the report and the JSON. */
  name: 'common word' | 'rare word' | 'phrase' | '3-char substring' | 'CJK term';
  /** The `q` parameter as a user types it. */
  q: string;
  /** The p99 target on SQLite at 1,000,000 messages (ms). */
  targetP99Ms: number;
}

/** Word and phrase queries: p99 < 100 ms; substrings (and a CJK term, found as one): < 300 ms. */
export const SEARCH_CASES: readonly SearchCase[] = [
  { name: 'common word', q: PLANTED.common, targetP99Ms: 100 },
  { name: 'rare word', q: PLANTED.rare, targetP99Ms: 100 },
  { name: 'phrase', q: `"${PLANTED.phrase.join(' ')}"`, targetP99Ms: 100 },
  { name: '3-char substring', q: PLANTED.substring, targetP99Ms: 300 },
  { name: 'CJK term', q: PLANTED.cjk, targetP99Ms: 300 },
];

/** Cumulative Zipf weights (rank k weighs 1 / k^s) over a list, for drawing by binary search. */
function zipfTable(size: number, s: number): Float64Array {
  const table = new Float64Array(size);
  let total = 0;
  for (let k = 0; k < size; k++) table[k] = total += 1 / (k + 1) ** s;
  for (let k = 0; k < size; k++) table[k]! /= total;
  return table;
}

/** Generates messages one after another; `next()` is the next message's content. */
export class SearchCorpus {
  private readonly random: () => number;
  private readonly zipf = zipfTable(ENGLISH.length, 1.05);
  private readonly rareStride: number;
  private index = 0;

  /** `total`: how many messages will be drawn (the rare word is spread evenly over them). */
  constructor(total: number, seed = 17) {
    this.random = seededRandom(seed);
    // A stride prime to 10, so that over conversations filled in turn (2,000 of them, the
    // searcher in every 10th) the rare word lands in the searcher's share of them, not all or none.
    let stride = Math.max(1, Math.floor(total / 50));
    while (stride > 1 && (stride % 2 === 0 || stride % 5 === 0)) stride -= 1;
    this.rareStride = stride;
  }

  next(): string {
    const i = this.index++;
    const roll = this.random();
    let message: string;
    if (roll < 0.05) message = `${this.chinese().join('')}。`;
    else if (roll < 0.09) message = `${this.japanese().join('')}。`;
    else if (roll < 0.17) message = this.french();
    else if (roll < 0.23) message = this.german();
    else if (roll < 0.27) message = `${this.english(4, 10)} ${this.pick(URLS)}`;
    else if (roll < 0.3) message = `${this.english(3, 8)} ${this.pick(CODE)}`;
    else message = this.english(5, 18);
    return this.plant(message, i);
  }

  private int(min: number, max: number): number {
    return min + Math.floor(this.random() * (max - min + 1));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.random() * list.length)]!;
  }

  private zipfWord(): string {
    const x = this.random();
    let lo = 0;
    let hi = this.zipf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.zipf[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return ENGLISH[lo]!;
  }

  private english(min: number, max: number): string {
    const words = Array.from({ length: this.int(min, max) }, () => this.zipfWord());
    words[0] = words[0]!.charAt(0).toUpperCase() + words[0]!.slice(1);
    return `${words.join(' ')}${this.pick(['.', '.', '.', '?', '!', ''])}`;
  }

  private french(): string {
    const words = Array.from({ length: this.int(4, 12) }, () => this.pick(FRENCH));
    return `${words.join(' ')}${this.pick([' ?', '.', ' !'])}`;
  }

  private german(): string {
    const words = Array.from({ length: this.int(3, 9) }, () => this.pick(GERMAN));
    // At least one long compound per German message.
    words.splice(this.int(0, words.length), 0, this.pick(GERMAN.filter((w) => w.length > 15)));
    return `${words.join(' ')}.`;
  }

  private chinese(): string[] {
    const clauses = Array.from({ length: this.int(2, 4) }, () => this.pick(CHINESE));
    if (this.random() < 0.2) clauses.splice(this.int(0, clauses.length), 0, `${PLANTED.cjk}${this.pick(['迁移完成', '连接超时', '备份好了', '索引'])}`);
    return clauses;
  }

  private japanese(): string[] {
    return Array.from({ length: this.int(2, 4) }, () => this.pick(JAPANESE));
  }

  /** Inserts the planted terms this message draws, as words of their own between its words. */
  private plant(message: string, i: number): string {
    const words = message.split(' ');
    const insert = (word: string, at = this.int(0, words.length)) => words.splice(at, 0, word);
    if (this.random() < 0.05) insert(PLANTED.common);
    if (i % this.rareStride === Math.floor(this.rareStride / 2)) insert(PLANTED.rare);
    const [first, second] = PLANTED.phrase;
    const phrase = this.random();
    if (phrase < 0.005) insert(`${first} ${second}`);
    else if (phrase < 0.015) insert(first);
    else if (phrase < 0.025) insert(second);
    else if (phrase < 0.03) {
      // Both words, in the wrong order or apart: found by each word, not by the phrase.
      words.unshift(second);
      words.push('—', first);
    }
    if (this.random() < 0.01) insert(this.pick(SUBSTRING_CARRIERS));
    return words.join(' ');
  }
}
