/**
 * GET /search/messages with bad input, once per database (issue #17, "Bad input"): empty,
 * whitespace, missing and over-long queries; engine syntax (FTS5, tsquery, LIKE) typed as text,
 * in a table and 200 seeded random strings, never a 5xx and always the reference definition's
 * answer over the corpus (so nothing typed is read as an operator); bad parameters; the per-user
 * rate limit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, loginAgain, registerUsers } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { expectedSearch, withUsernames } from '../helpers/search-expectations.js';
import { loadSearchWorld, type SearchWorld } from '../helpers/search-world.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** Typed by users or attackers: operators and escapes of FTS5, tsquery, LIKE and SQL, as text. */
const SYNTAX = [
  '"', '""', '"""', '"hello', 'hello"', '"hello world', 'he"llo', '"a" OR "b"', 'cafe OR standup', 'cafe AND standup', 'NOT cafe', 'cafe NOT standup',
  '*', '**', '***', '*cafe', 'ca*fe', 'cafe*', '"cafe"*', '* *', 'a*', '東*', '🎉*',
  '-foo', '-cafe', '- cafe', '--', '-', '+cafe', 'cafe^2', 'cafe~', 'cafe~2',
  'NEAR(a b)', 'NEAR(cafe lait, 5)', 'NEAR', 'near/2', 'cafe NEAR lait', '{cafe}', 'content:cafe', 'a:b', ':', '::', 'cafe:*', 'cafe:A', 'cafe:*AB',
  '(', ')', '()', '(cafe', 'cafe)', '((((((((((cafe))))))))))', '[cafe]', '{', '}',
  '\\', '\\\\', '\\"', 'cafe\\', '\\x00', '\\u0000', 'C:\\Users',
  '%', '%%', '_', '__', '%cafe%', 'caf_', "'", "''", "'cafe'", "cafe' OR '1'='1", "'; DROP TABLE messages; --", '`', '$$', '$1',
  '&', '|', '!', '<', '>', '&|!<>', 'cafe & lait', 'cafe | lait', '!cafe', 'cafe <-> lait', 'cafe <2> lait', '<->', 'cafe:* & lait',
  '🎉', '🎉🎉🎉', '👍🏽', '🏳️‍🌈', '❤️', '\u200d', '\ufeff', '\u00ad', '\u0301', 'e\u0301', '\u3000', 'ＡＢＣ', 'ﬁ',
  'from:', 'from:@', 'from:bob', 'from:bob from:carol cafe', 'from:bob from:BOB cafe', 'cafe from:nobody', '"from:bob"', 'from:"bob" cafe',
  ' '.repeat(50) + 'cafe', 'cafe' + '\t'.repeat(5) + 'lait', 'a'.repeat(500), 'a'.repeat(501), 'ab '.repeat(16) + 'x', 'ab '.repeat(17),
];

/** A small seeded generator (mulberry32), so a failure is replayed by the same run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ALPHABET = [...'"*-():\\%_\'&|!<>{}[]^~+.@/ \t abcdeéfghnrstuyzCAFÉ北京東京天が안녕🎉🚀👍🏽0123456789', 'NEAR', 'AND', 'OR', 'NOT', 'from:', 'cafe', 'standup', 'york'];

function randomQueries(seed: number, count: number): string[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(next() * 24);
    return Array.from({ length }, () => ALPHABET[Math.floor(next() * ALPHABET.length)]!).join('');
  });
}

/** What the route answers: the schema refuses over 2,000 characters first, the parser the rest. */
function expectedAnswer(w: SearchWorld, q: string): { status: 400; code: string } | { status: 200; keys: string[] } {
  if ([...q].length > 2000) return { status: 400, code: 'invalid_request' };
  const expected = expectedSearch(w.model, 'alice', withUsernames(q, w.model.usernames));
  return expected.error !== undefined ? { status: 400, code: expected.error } : { status: 200, keys: [...expected.keys].sort() };
}

for (const dialect of enabledDialects()) {
  describe(`GET /search/messages with bad input [${dialect}]`, () => {
    let server: TestServer;
    let w: SearchWorld;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      w = await loadSearchWorld(server);
    }, 120_000);
    afterAll(() => server?.close());

    it('answers an empty or whitespace query 400 invalid_query, a missing one 400 invalid_request', async () => {
      for (const q of ['', ' ', '   ', '\t', '\n\n', ' \u3000 ']) expectProblem(await w.search('alice', { q }), 400, 'invalid_query');
      expectProblem(await w.users.alice.api.get('/search/messages'), 400, 'invalid_request');
      expectProblem(await w.users.alice.api.get('/search/messages?conversation_id=' + w.conversations.c1), 400, 'invalid_request');
    });

    it('answers an over-long query 400 without searching: query_too_long past 500 characters or 16 terms, invalid_request past 2,000', async () => {
      expectProblem(await w.search('alice', { q: 'a'.repeat(10_000) }), 400, 'invalid_request');
      expectProblem(await w.search('alice', { q: 'cafe '.repeat(2_000) }), 400, 'invalid_request');
      const long = await w.search('alice', { q: 'a'.repeat(501) });
      expectProblem(long, 400, 'query_too_long');
      expect(long.body.detail).toContain('500');
      const many = await w.search('alice', { q: Array.from({ length: 17 }, (_, i) => `w${i}`).join(' ') });
      expectProblem(many, 400, 'query_too_long');
      expect(many.body.detail).toContain('16');
      expect((await w.search('alice', { q: Array.from({ length: 16 }, () => 'standup').join(' ') })).status).toBe(200);
    });

    it('answers a null byte 400 invalid_request, the bytes of a lone surrogate never 5xx', async () => {
      for (const q of ['\u0000', 'cafe\u0000', '\u0000cafe\u0000lait']) expectProblem(await w.search('alice', { q }), 400, 'invalid_request');
      // A lone surrogate cannot be percent-encoded as UTF-8: sent as the raw bytes of one (decoded as U+FFFD, or refused).
      for (const raw of ['caf%ED%A0%80', '%ED%A0%80', '%C3', '%FF%FE', '%']) {
        const response = await w.users.alice.api.get(`/search/messages?q=${raw}`);
        expect([200, 400], raw).toContain(response.status);
      }
    });

    it('reads engine syntax as text: every query of the table answers as the reference says, never 5xx', async () => {
      const mismatches: string[] = [];
      for (const q of SYNTAX) {
        const response = await w.search('alice', { q, limit: 100 });
        const expected = expectedAnswer(w, q);
        const got = response.status === 200 ? { status: 200, keys: response.body.results.map((r: { message: { message_id: string } }) => w.keyOf(r.message.message_id)).sort() } : { status: response.status, code: response.body?.code };
        if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${JSON.stringify(q)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
      }
      expect(mismatches).toEqual([]);
    }, 60_000);

    it('answers 200 random strings of syntax, scripts and emoji as the reference says, never 5xx (seed 17)', async () => {
      const mismatches: string[] = [];
      for (const q of randomQueries(17, 200)) {
        for (const order of ['relevance', 'recent']) {
          const response = await w.search('alice', { q, limit: 100, order });
          const expected = expectedAnswer(w, q);
          const got = response.status === 200 ? { status: 200, keys: response.body.results.map((r: { message: { message_id: string } }) => w.keyOf(r.message.message_id)).sort() } : { status: response.status, code: response.body?.code };
          if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push(`${order} ${JSON.stringify(q)}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
        }
      }
      expect(mismatches).toEqual([]);
    }, 120_000);

    it('answers bad parameters 400 invalid_request', async () => {
      const bad: Record<string, string>[] = [
        { limit: '0' }, { limit: '101' }, { limit: '-1' }, { limit: '1.5' }, { limit: 'ten' },
        { order: 'foo' }, { order: '' }, { order: 'RECENT' },
        { before: 'yesterday' }, { before: '2026-13-45T00:00:00Z' }, { after: 'not-a-date' }, { after: '' }, { before: '1700000000' },
        { sender_id: 'bob' }, { conversation_id: '' }, { cursor: '' },
      ];
      for (const params of bad) expectProblem(await w.search('alice', { q: 'standup', ...params }), 400, 'invalid_request');
      expect((await w.search('alice', { q: 'standup', limit: 100 })).status).toBe(200);
      expect((await w.search('alice', { q: 'standup', limit: 1 })).body.results).toHaveLength(1);
    });

    it('answers 401 without a token or with a revoked one, before looking at the query', async () => {
      expectProblem(await w.users.alice.api.as(null).get('/search/messages?q='), 401, 'unauthorized');
      const token = await loginAgain(w.users.dave);
      expect((await w.users.dave.api.as(token).delete('/sessions/current')).status).toBe(204);
      expectProblem(await w.users.dave.api.as(token).get('/search/messages?q=cafe'), 401, 'unauthorized');
    });
  });

  describe(`GET /search/messages rate limit [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'on', RATE_LIMIT_SEARCHES_PER_MINUTE: '3' } });
    });
    afterAll(() => server?.close());

    it('answers the 4th search in a minute 429 rate_limited with Retry-After, per user', async () => {
      const [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
      for (let i = 0; i < 3; i++) expect((await alice.api.get('/search/messages?q=hello')).status).toBe(200);
      const limited = await alice.api.get('/search/messages?q=hello');
      expectProblem(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
      // Another user has a budget of their own.
      expect((await bob.api.get('/search/messages?q=hello')).status).toBe(200);
    });
  });
}
