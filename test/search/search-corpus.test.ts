/**
 * GET /search/messages over a fixed corpus (test/helpers/search-corpus.ts) loaded through the
 * API, once per database: for every query of the table and every person, the exact set of
 * messages the reference definition (src/domain/search/reference-match.ts) finds among what that
 * person may see now; hand-written expectations on top (so the reference is checked too); the
 * `recent` order; relevance putting whole words first; snippets and their highlights.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSnippet, SNIPPET_MAX_CHARS } from '../../src/domain/search/snippet.js';
import { foldText, parseSearchQuery } from '../../src/domain/search/search-query.js';
import { enabledDialects } from '../helpers/dialects.js';
import { LITERAL, PEOPLE, QUERIES } from '../helpers/search-corpus.js';
import { expectedSearch, tieOrderOf, withUsernames } from '../helpers/search-expectations.js';
import { loadSearchWorld, type SearchWorld } from '../helpers/search-world.js';
import { startServer, type TestServer } from '../helpers/server.js';

interface Result {
  message: { message_id: string; content: string; deleted: boolean };
  snippet: string;
  highlights: [number, number][];
}

const sorted = (keys: readonly string[]) => [...keys].sort();

for (const dialect of enabledDialects()) {
  describe(`GET /search/messages over a fixed corpus [${dialect}]`, () => {
    let server: TestServer;
    let w: SearchWorld;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      w = await loadSearchWorld(server);
    }, 120_000);
    afterAll(() => server?.close());

    const resultsOf = (body: { results: Result[] }) => body.results;
    const keysOf = (results: Result[]) => results.map((r) => w.keyOf(r.message.message_id));

    it('finds exactly what the reference definition finds, for every query of the table and every person', async () => {
      const mismatches: string[] = [];
      for (const q of QUERIES) {
        for (const as of PEOPLE) {
          const expected = expectedSearch(w.model, as, q);
          const response = await w.search(as, { q, limit: 100 });
          const label = `${as} ${JSON.stringify(q)}`;
          if (expected.error !== undefined) {
            if (response.status !== 400 || response.body.code !== expected.error) mismatches.push(`${label}: expected 400 ${expected.error}, got ${response.status} ${response.body?.code}`);
            continue;
          }
          if (response.status !== 200) {
            mismatches.push(`${label}: expected 200, got ${response.status} ${JSON.stringify(response.body)}`);
            continue;
          }
          const got = keysOf(resultsOf(response.body));
          if (JSON.stringify(sorted(got)) !== JSON.stringify(sorted(expected.keys))) mismatches.push(`${label}: expected [${sorted(expected.keys)}], got [${sorted(got)}]`);
          if (response.body.next_cursor !== null) mismatches.push(`${label}: one page of at most 100 hits has next_cursor ${response.body.next_cursor}`);
          // Each hit as it is now, with the domain's snippet of its current text.
          const terms = parseSearchQuery(q).terms;
          for (const result of resultsOf(response.body)) {
            const model = w.model.messages.find((m) => m.id === result.message.message_id);
            if (!model || result.message.deleted || result.message.content !== model.content) mismatches.push(`${label}: ${w.keyOf(result.message.message_id)} is not the current message`);
            const want = makeSnippet(result.message.content, terms);
            if (result.snippet !== want.snippet || JSON.stringify(result.highlights) !== JSON.stringify(want.highlights)) mismatches.push(`${label}: snippet of ${w.keyOf(result.message.message_id)}`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    }, 180_000);

    it('orders `recent` newest first (created_at, then message id on PostgreSQL and the order stored on SQLite, descending)', async () => {
      const mismatches: string[] = [];
      for (const q of QUERIES) {
        const expected = expectedSearch(w.model, 'alice', q, {}, tieOrderOf(dialect));
        if (expected.error !== undefined) continue;
        const response = await w.search('alice', { q, limit: 100, order: 'recent' });
        const got = response.status === 200 ? keysOf(resultsOf(response.body)) : [`status ${response.status}`];
        if (JSON.stringify(got) !== JSON.stringify(expected.keys)) mismatches.push(`${JSON.stringify(q)}: expected [${expected.keys}], got [${got}]`);
      }
      expect(mismatches).toEqual([]);
    }, 120_000);

    for (const { q, as, keys, why } of LITERAL) {
      it(`as ${as}, ${JSON.stringify(q)} finds ${keys.length > 0 ? keys.join(', ') : 'nothing'} (${why})`, async () => {
        const response = await w.search(as, { q, limit: 100 });
        expect(response.status).toBe(200);
        expect(sorted(keysOf(resultsOf(response.body)))).toEqual(sorted(keys));
      });
    }

    it('ranks a whole-word match above matches of the term inside longer words (order=relevance, the default)', async () => {
      const response = await w.search('alice', { q: 'deploy' });
      expect(response.status).toBe(200);
      const got = keysOf(resultsOf(response.body));
      expect(sorted(got)).toEqual(['en.deploy1', 'en.deploy2', 'en.deploy3']);
      expect(got[0]).toBe('en.deploy3');
    });

    it('finds a from: sender by username, whatever its case', async () => {
      const upper = w.model.usernames.bob.toUpperCase();
      const response = await w.search('alice', { q: `from:${upper} standup` });
      expect(sorted(keysOf(resultsOf(response.body)))).toEqual(sorted(expectedSearch(w.model, 'alice', withUsernames('from:bob standup', w.model.usernames)).keys!));
      expect(resultsOf(response.body)).toHaveLength(5);
      // An unknown sender finds nothing (an empty page, not an error).
      const unknown = await w.search('alice', { q: 'from:nobody_at_all standup' });
      expect(unknown.status).toBe(200);
      expect(unknown.body).toEqual({ results: [], next_cursor: null });
    });

    describe('snippets', () => {
      const resultFor = async (q: string, key: string) => {
        const response = await w.search('alice', { q, limit: 100 });
        expect(response.status).toBe(200);
        const result = resultsOf(response.body).find((r) => w.keyOf(r.message.message_id) === key);
        expect(result, `${key} among the hits of ${q}`).toBeDefined();
        return result!;
      };

      it('marks the matched words with [start, end) offsets into the snippet, in its original spelling', async () => {
        expect(await resultFor('cafe', 'fr.cafe')).toMatchObject({ snippet: "Café au lait et croissant, s'il vous plaît", highlights: [[0, 4]] });
        expect(await resultFor('cafe', 'fr.noir')).toMatchObject({ snippet: 'CAFÉ NOIR sans sucre', highlights: [[0, 4]] });
        const tower = await resultFor('東京', 'ja.tower');
        expect(tower.highlights.map(([s, e]) => tower.snippet.slice(s, e))).toEqual(['東京']);
        const phrase = await resultFor('"new york"', 'en.ny');
        expect(phrase.highlights.map(([s, e]) => foldText(phrase.snippet.slice(s, e)))).toEqual(['new', 'york', 'york']);
        const prefix = await resultFor('deplo*', 'en.deploy1');
        expect(prefix.highlights.map(([s, e]) => prefix.snippet.slice(s, e))).toEqual(['Deploying']);
      });

      it('maps a ligature and full-width letters back to the characters in the message', async () => {
        const lig = await resultFor('final', 'lig');
        expect(lig.highlights.map(([s, e]) => lig.snippet.slice(s, e))).toEqual(['ﬁnal']);
        const wide = await resultFor('abc123', 'wide');
        expect(wide.highlights.map(([s, e]) => wide.snippet.slice(s, e))).toEqual(['ＡＢＣ１２３']);
      });

      it('returns markup as plain text, never as HTML', async () => {
        const html = await resultFor('script', 'html');
        expect(html.snippet).toBe('<b>bold tag</b> & <script>alert(1)</script>');
        expect(html.highlights.map(([s, e]) => html.snippet.slice(s, e))).toEqual(['script', 'script']);
      });

      it('cuts long content around the first match with …', async () => {
        const long = await resultFor('needle', 'long');
        expect(long.snippet.startsWith('…')).toBe(true);
        expect(long.snippet.endsWith('…')).toBe(true);
        expect(long.snippet.length).toBeLessThanOrEqual(SNIPPET_MAX_CHARS + 2);
        expect(long.highlights.map(([s, e]) => long.snippet.slice(s, e))).toEqual(['needle']);
      });
    });
  });
}
