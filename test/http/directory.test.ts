/**
 * Finding people (docs/API.md, "Finding people"): GET /users?q= matches prefixes of usernames,
 * their parts and display-name words, ignoring case and accents; pages by username; refuses
 * queries too short or too long and foreign cursors; with DIRECTORY_VISIBILITY=shared finds only
 * people who share a conversation with the searcher. GET /users?ids= fetches users in one request.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

/** A run-unique tag, so searches in a shared server only see this suite's users. */
const TAG = `d${randomUUID().slice(0, 5)}`;

async function person(server: TestServer, username: string, displayName?: string): Promise<TestUser> {
  const password = 'correct horse battery';
  const created = await new Api(server.url).post('/users', { username, password });
  if (created.status !== 201) throw new Error(`register ${username}: ${created.status}`);
  const user: TestUser = { user: created.body.user, token: created.body.token, password, api: new Api(server.url, created.body.token) };
  if (displayName !== undefined) expect((await user.api.patch('/users/me', { display_name: displayName })).status).toBe(200);
  return user;
}

const names = (response: { body: { users: { username: string }[] } }) => response.body.users.map((u) => u.username);

for (const dialect of enabledDialects()) {
  for (const visibility of ['all', 'shared'] as const) {
    describe(`directory [${dialect}, DIRECTORY_VISIBILITY=${visibility}]`, () => {
      let server: TestServer;
      let searcher: TestUser;
      let jose: TestUser;
      let zoe: TestUser;
      let john: TestUser;
      let stranger: TestUser;
      beforeAll(async () => {
        server = await startServer({ dialect, env: { RATE_LIMITS: 'off', DIRECTORY_VISIBILITY: visibility } });
        searcher = await person(server, `${TAG}_searcher`);
        jose = await person(server, `${TAG}_jgarcia`, 'José García');
        zoe = await person(server, `${TAG}_zoe`, 'Zoë Ørsted-Łukasz');
        john = await person(server, `${TAG}_john.doe`);
        stranger = await person(server, `${TAG}_stranger`, 'José Stranger');
        await createConversation(searcher, [jose, zoe, john]);
      });
      afterAll(() => server.close());

      it('finds by username prefix, ignoring case, ordered by username', async () => {
        const found = await searcher.api.get(`/users?q=${TAG.toUpperCase()}_`);
        expect(found.status).toBe(200);
        const expected = [john, jose, searcher, ...(visibility === 'all' ? [stranger] : []), zoe].map((u) => u.user.username).sort();
        expect(names(found)).toEqual(expected);
        expect(found.body.next_cursor).toBeNull();
        expect(found.body.users.find((u: { id: string }) => u.id === jose.user.id)).toMatchObject({ display_name: 'José García', avatar_url: null, is_bot: false });
      });

      it('finds by any display-name word and by a username part, ignoring accents and case', async () => {
        expect(names(await searcher.api.get('/users?q=jose'))).toContain(jose.user.username);
        expect(names(await searcher.api.get('/users?q=GARC'))).toContain(jose.user.username);
        expect(names(await searcher.api.get('/users?q=orsted'))).toContain(zoe.user.username);
        expect(names(await searcher.api.get('/users?q=%C5%82uk'))).toContain(zoe.user.username); // "łuk"
        expect(names(await searcher.api.get('/users?q=lukas'))).toContain(zoe.user.username);
        expect(names(await searcher.api.get('/users?q=zoe%20%C3%B8r'))).toContain(zoe.user.username); // "zoe ør": the whole name's prefix
        expect(names(await searcher.api.get('/users?q=doe'))).toContain(john.user.username);
        expect(names(await searcher.api.get('/users?q=garcia%20jose'))).not.toContain(jose.user.username);
      });

      it(visibility === 'all' ? 'finds everyone on the server' : 'finds only people sharing a conversation with the searcher, and the searcher', async () => {
        const found = names(await searcher.api.get('/users?q=stranger'));
        if (visibility === 'all') expect(found).toContain(stranger.user.username);
        else expect(found).toEqual([]);
        // The stranger shares nothing with anyone: under `shared` finds only themself.
        const theirs = names(await stranger.api.get(`/users?q=${TAG}`));
        if (visibility === 'all') expect(theirs).toHaveLength(5);
        else expect(theirs).toEqual([stranger.user.username]);
        // Exact lookups answer either way (v1).
        expect(names(await searcher.api.get(`/users?username=${stranger.user.username}`))).toEqual([stranger.user.username]);
        expect((await searcher.api.get(`/users/${stranger.user.id}`)).status).toBe(200);
      });

      it('becomes findable under `shared` once a conversation is shared', async () => {
        const late = await person(server, `${TAG}_late`);
        if (visibility === 'shared') expect(names(await searcher.api.get(`/users?q=${TAG}_late`))).toEqual([]);
        await createConversation(late, [searcher]);
        expect(names(await searcher.api.get(`/users?q=${TAG}_late`))).toEqual([late.user.username]);
      });

      it('pages by username with a cursor bound to its query', async () => {
        const first = await searcher.api.get(`/users?q=${TAG}&limit=2`);
        expect(first.body.users).toHaveLength(2);
        expect(first.body.next_cursor).toEqual(expect.any(String));
        const seen = [...names(first)];
        let cursor: string | null = first.body.next_cursor;
        while (cursor !== null) {
          const page = await searcher.api.get(`/users?q=${TAG}&limit=2&cursor=${encodeURIComponent(cursor)}`);
          expect(page.status).toBe(200);
          seen.push(...names(page));
          cursor = page.body.next_cursor;
        }
        expect(seen).toEqual(names(await searcher.api.get(`/users?q=${TAG}&limit=50`)));
        expectProblem(await searcher.api.get(`/users?q=jose&cursor=${encodeURIComponent(first.body.next_cursor)}`), 400, 'invalid_cursor');
        expectProblem(await searcher.api.get('/users?q=jose&cursor=garbage'), 400, 'invalid_cursor');
      });

      it('refuses queries of one character or thousands, and asks for exactly one of q, ids and username', async () => {
        expectProblem(await searcher.api.get('/users?q=j'), 400, 'query_too_short');
        expectProblem(await searcher.api.get('/users?q=%20%20j%20'), 400, 'query_too_short');
        expectProblem(await searcher.api.get('/users?q=%CC%81%CC%81%CC%81'), 400, 'query_too_short'); // combining accents alone fold to nothing
        expectProblem(await searcher.api.get(`/users?q=${'a'.repeat(65)}`), 400, 'query_too_long');
        const thousands = await searcher.api.get(`/users?q=${'a'.repeat(3000)}`);
        expect(thousands.status).toBe(400);
        expectProblem(await searcher.api.get('/users?q=ab&limit=51'), 400, 'invalid_request');
        expectProblem(await searcher.api.get('/users'), 400, 'invalid_request');
        expectProblem(await searcher.api.get('/users?q=jose&username=jose'), 400, 'invalid_request');
      });

      it('fetches users by ids in one request, leaving unknown ids out, at most 100', async () => {
        const unknown = randomUUID();
        const found = await searcher.api.get(`/users?ids=${jose.user.id},${unknown},${zoe.user.id}`);
        expect(found.status).toBe(200);
        expect(found.body.users.map((u: { id: string }) => u.id)).toEqual([jose.user.id, zoe.user.id]);
        const tooMany = Array.from({ length: 101 }, () => randomUUID()).join(',');
        expectProblem(await searcher.api.get(`/users?ids=${tooMany}`), 400, 'invalid_request');
        expectProblem(await searcher.api.get('/users?ids=not-a-uuid'), 400, 'invalid_request');
      });

      it('follows display-name changes: the old name is no longer found, the new one is', async () => {
        const renamed = await person(server, `${TAG}_renamed`, 'Quentin Blake');
        await createConversation(searcher, [renamed]);
        expect(names(await searcher.api.get('/users?q=quentin'))).toContain(renamed.user.username);
        await renamed.api.patch('/users/me', { display_name: 'Roald Dahl' });
        expect(names(await searcher.api.get('/users?q=quentin'))).not.toContain(renamed.user.username);
        expect(names(await searcher.api.get('/users?q=dahl'))).toContain(renamed.user.username);
      });
    });
  }
}
