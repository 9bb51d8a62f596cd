/** Which drive answers a SQLite search (src/store/sqlite/search-drive.ts): the walk's estimated length against the caller's messages. */
import { describe, expect, it } from 'vitest';
import { chooseDrive, INDEX_HITS_CAP, rarerIndexFirst, type DriveEstimate } from '../../../src/store/sqlite/search-drive.js';
import type { SearchPlan } from '../../../src/store/sqlite/search-plan.js';

const estimate = (overrides: Partial<DriveEstimate>, hits = 0): { estimate: DriveEstimate; counted: () => number } => {
  let counted = 0;
  return {
    estimate: { indexed: true, visible: 100_000, total: 1_000_000, need: 21, indexHits: () => (counted++, hits), ...overrides },
    counted: () => counted,
  };
};

describe('chooseDrive', () => {
  it('walks the index when the caller holds a fair share of the messages, without counting its hits', () => {
    const { estimate: e, counted } = estimate({ need: 500 });
    expect(chooseDrive(e)).toBe('index');
    expect(counted()).toBe(0);
  });

  it('reads the caller\'s messages when they are few and the term is common', () => {
    const { estimate: e, counted } = estimate({ visible: 500, need: 500 }, INDEX_HITS_CAP);
    expect(chooseDrive(e)).toBe('members');
    expect(counted()).toBe(1);
  });

  it('walks a rare term\'s few hits even for a caller with a small share', () => {
    expect(chooseDrive(estimate({ visible: 500, need: 500 }, 40).estimate)).toBe('index');
    expect(chooseDrive(estimate({ visible: 500, need: 500 }, 400).estimate)).toBe('members');
  });

  it('uses the members drive when there is no index to walk, or nothing of the caller\'s', () => {
    expect(chooseDrive(estimate({ indexed: false }).estimate)).toBe('members');
    expect(chooseDrive(estimate({ visible: 0 }).estimate)).toBe('members');
  });
});

describe('rarerIndexFirst', () => {
  const plan: SearchPlan = {
    indexes: [
      { table: 'message_trigrams', match: '"the"' },
      { table: 'message_words', match: 'words : "merge conflict"' },
    ],
    scan: [],
    rank: null,
    rankIsWords: false,
  };

  it('walks the index with fewer hits, and passes its count on', () => {
    const hits = new Map([['"the"', 20_000], ['words : "merge conflict"', 504]]);
    const { plan: ordered, firstHits } = rarerIndexFirst(plan, (s) => hits.get(String(s.params[0]))!);
    expect(ordered.indexes.map((i) => i.table)).toEqual(['message_words', 'message_trigrams']);
    expect(firstHits).toBe(504);
  });

  it('keeps the order on a tie, and counts nothing for one index', () => {
    expect(rarerIndexFirst(plan, () => 7).plan.indexes[0]!.table).toBe('message_trigrams');
    let counted = 0;
    const single = { ...plan, indexes: plan.indexes.slice(0, 1) };
    expect(rarerIndexFirst(single, () => ++counted)).toEqual({ plan: single, firstHits: null });
    expect(counted).toBe(0);
  });
});
