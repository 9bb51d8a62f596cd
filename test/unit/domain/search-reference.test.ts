/**
 * The reference definition of what a query matches (src/domain/search/reference-match.ts),
 * checked against expectations written by hand over the fixed corpus the database suites load
 * (test/helpers/search-corpus.ts): the providers are compared with the reference, so the
 * reference itself must be right.
 */
import { describe, expect, it } from 'vitest';
import { CONVERSATIONS, CORPUS, LITERAL, PEOPLE, QUERIES, type ConversationKey, type Person } from '../../helpers/search-corpus.js';
import { expectedSearch, parseOrCode, type SearchModel } from '../../helpers/search-expectations.js';

/** The corpus as loaded: ids are keys, times grow in sending order, erin has left c1, usernames are the names. */
function corpusModel(): SearchModel {
  const members = Object.fromEntries(Object.entries(CONVERSATIONS).map(([key, people]) => [key, new Set<Person>(people)])) as Record<ConversationKey, Set<Person>>;
  members.c1.delete('erin');
  const start = Date.parse('2026-01-01T00:00:00.000Z');
  const messages = CORPUS.map((m, i) => ({
    key: m.key,
    id: m.key,
    conv: m.conv,
    by: m.by,
    content: m.deleted ? '' : (m.editTo ?? m.text),
    createdAt: new Date(start + i * 1000).toISOString(),
    stored: i,
    deleted: m.deleted === true,
  }));
  const usernames = Object.fromEntries(PEOPLE.map((p) => [p, p])) as Record<Person, string>;
  return { messages, members, usernames };
}

describe('the search corpus and its expectations', () => {
  const model = corpusModel();

  it('has unique keys and texts within the content limit', () => {
    expect(new Set(CORPUS.map((m) => m.key)).size).toBe(CORPUS.length);
    for (const m of CORPUS) expect([...m.text].length).toBeLessThanOrEqual(4000);
    expect(new Set(QUERIES).size).toBe(QUERIES.length);
  });

  for (const { q, as, keys, why } of LITERAL) {
    it(`as ${as}, ${JSON.stringify(q)} finds ${keys.length ? keys.join(', ') : 'nothing'} (${why})`, () => {
      const expected = expectedSearch(model, as, q);
      expect(expected.error).toBeUndefined();
      expect([...expected.keys!].sort()).toEqual([...keys].sort());
    });
  }

  it('has queries that find something for alice, and queries that find nothing, in the table compared per database', () => {
    const found = QUERIES.filter((q) => (expectedSearch(model, 'alice', q).keys?.length ?? 0) > 0);
    const refused = QUERIES.filter((q) => typeof parseOrCode(q) === 'string');
    // Most queries are answered with hits: a table of empty answers would prove little.
    expect(found.length).toBeGreaterThan(QUERIES.length * 0.7);
    // Punctuation alone has nothing to find (letters, digits and symbols do): 400 invalid_query.
    expect(refused).toEqual(['%', '_', '\\', '&']);
  });

  it('finds 15 standup notes for alice across c1 and c2, 10 in c1', () => {
    expect(expectedSearch(model, 'alice', 'standup').keys).toHaveLength(15);
    expect(expectedSearch(model, 'alice', 'standup', { conv: 'c1' }).keys).toHaveLength(10);
  });

  it('answers nothing to dave and erin for every query, and only c3 to frank', () => {
    for (const q of QUERIES) {
      expect(expectedSearch(model, 'dave', q).keys ?? []).toEqual([]);
      expect(expectedSearch(model, 'erin', q).keys ?? []).toEqual([]);
      for (const key of expectedSearch(model, 'frank', q).keys ?? []) expect(key.startsWith('c3.')).toBe(true);
    }
  });
});
