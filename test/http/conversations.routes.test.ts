import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { UNREAD_COUNT_CAP } from '../../src/store/repositories/unread-counts.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
const base64url = (text: string) => Buffer.from(text).toString('base64url');

for (const dialect of enabledDialects()) {
  describe(`conversations routes [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob'), registerUser(server.url, 'carol')]);
    });
    afterAll(() => server.close());

    describe('POST /conversations', () => {
      it('returns 201 with the conversation; the caller is its owner and the others members', async () => {
        const response = await alice.api.post('/conversations', { title: 'Project X', member_ids: [bob.user.id, carol.user.id] });
        expect(response.status).toBe(201);
        const c = response.body;
        expect(Object.keys(c).sort()).toEqual(['created_at', 'created_by', 'id', 'last_event_seq', 'last_seq', 'members', 'title']);
        expect(c.id).toMatch(UUID);
        expect(c.title).toBe('Project X');
        expect(c.created_by).toBe(alice.user.id);
        expect(c.created_at).toMatch(ISO_MS);
        expect(c.last_seq).toBe(0);
        // Its creation is its first event (conversation.created); the members come with it, not as events of their own.
        expect(c.last_event_seq).toBe(1);
        expect(c.members).toHaveLength(3);
        const byId = new Map(c.members.map((m: any) => [m.user_id, m]));
        expect(byId.get(alice.user.id)).toMatchObject({ username: alice.user.username, role: 'owner', last_read_seq: 0 });
        expect(byId.get(bob.user.id)).toMatchObject({ username: bob.user.username, role: 'member', last_read_seq: 0 });
        expect(byId.get(carol.user.id)).toMatchObject({ username: carol.user.username, role: 'member', last_read_seq: 0 });
        for (const m of c.members) {
          expect(Object.keys(m).sort()).toEqual(['avatar_url', 'display_name', 'is_bot', 'joined_at', 'last_read_seq', 'role', 'user_id', 'username']);
          expect(m.joined_at).toMatch(ISO_MS);
        }
      });

      it('makes the caller the only member when member_ids is empty', async () => {
        const response = await alice.api.post('/conversations', { title: 'Notes to self', member_ids: [] });
        expect(response.status).toBe(201);
        expect(response.body.members).toHaveLength(1);
        expect(response.body.members[0]).toMatchObject({ user_id: alice.user.id, role: 'owner' });
      });

      it('tolerates duplicate ids and the caller\'s own id in member_ids', async () => {
        const response = await alice.api.post('/conversations', {
          title: 'Dupes',
          member_ids: [bob.user.id, bob.user.id, alice.user.id, bob.user.id.toUpperCase(), alice.user.id.toUpperCase()],
        });
        expect(response.status).toBe(201);
        const members = response.body.members.map((m: any) => [m.user_id, m.role]).sort();
        expect(members).toEqual([[alice.user.id, 'owner'], [bob.user.id, 'member']].sort());
      });

      it('returns 404 user_not_found when a member id names no user, and creates nothing', async () => {
        const before = await alice.api.get('/conversations?limit=200');
        const response = await alice.api.post('/conversations', { title: 'Ghosts', member_ids: [bob.user.id, randomUUID()] });
        expectProblem(response, 404, 'user_not_found');
        const after = await alice.api.get('/conversations?limit=200');
        expect(after.body.conversations.length).toBe(before.body.conversations.length);
      });

      it('accepts 1000 member_ids (the limit) as far as validation goes', async () => {
        // All unknown, so the answer is 404 user_not_found, which proves the list passed validation.
        const ids = Array.from({ length: 1000 }, () => randomUUID());
        expectProblem(await alice.api.post('/conversations', { title: 'Big', member_ids: ids }), 404, 'user_not_found');
      });

      it('returns 400 invalid_request naming member_ids when there are more than 1000', async () => {
        const ids = Array.from({ length: 1001 }, () => randomUUID());
        const response = await alice.api.post('/conversations', { title: 'Too big', member_ids: ids });
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain('member_ids');
      });

      it('accepts a title of 1 and of 200 characters', async () => {
        for (const title of ['x', 't'.repeat(200)]) {
          const response = await alice.api.post('/conversations', { title, member_ids: [] });
          expect(response.status).toBe(201);
          expect(response.body.title).toBe(title);
        }
      });

      const invalid: [string, unknown, string][] = [
        ['the title is empty', { title: '', member_ids: [] }, 'title'],
        ['the title is longer than 200 characters', { title: 't'.repeat(201), member_ids: [] }, 'title'],
        ['the title is missing', { member_ids: [] }, 'title'],
        ['the title is null', { title: null, member_ids: [] }, 'title'],
        ['the title is a number', { title: 42, member_ids: [] }, 'title'],
        ['member_ids is missing', { title: 'x' }, 'member_ids'],
        ['member_ids is null', { title: 'x', member_ids: null }, 'member_ids'],
        ['member_ids is a string', { title: 'x', member_ids: 'abc' }, 'member_ids'],
        ['a member id is not a UUID', { title: 'x', member_ids: ['not-a-uuid'] }, 'member_ids'],
        ['a member id is a number', { title: 'x', member_ids: [12] }, 'member_ids'],
      ];
      for (const [when, body, field] of invalid) {
        it(`returns 400 invalid_request naming ${field} when ${when}`, async () => {
          const response = await alice.api.post('/conversations', body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain(field);
        });
      }
    });

    describe('GET /conversations/{id}', () => {
      it('returns 200 with the conversation to a member', async () => {
        const created = await createConversation(alice, [bob], 'Read me');
        expect(created.last_event_seq).toBe(1);
        const sent = await sendMessage(bob, created.id);
        expect(sent.version).toBe(2);
        for (const user of [alice, bob]) {
          const response = await user.api.get(`/conversations/${created.id}`);
          expect(response.status).toBe(200);
          // The message is the conversation's second event (after conversation.created).
          expect(response.body).toEqual({ ...created, last_seq: 1, last_event_seq: 2 });
        }
      });

      it('accepts the id in upper case', async () => {
        const created = await createConversation(alice, [bob]);
        const response = await alice.api.get(`/conversations/${created.id.toUpperCase()}`);
        expect(response.status).toBe(200);
        expect(response.body.id).toBe(created.id);
      });

      it('returns 403 not_member to a user who is not a member', async () => {
        const created = await createConversation(alice, [bob], 'Secret plans');
        const response = await carol.api.get(`/conversations/${created.id}`);
        expectProblem(response, 403, 'not_member');
        expect(JSON.stringify(response.body)).not.toContain('Secret plans');
      });

      it('returns 404 when the conversation does not exist', async () => {
        expectProblem(await alice.api.get(`/conversations/${randomUUID()}`), 404, 'not_found');
      });

      it('returns 400 when the id is not a UUID', async () => {
        expectProblem(await alice.api.get('/conversations/nope'), 400, 'invalid_request');
      });
    });

    describe('GET /conversations', () => {
      it('lists only the caller\'s conversations, most recent activity first, with last_message and unread_count', async () => {
        const [dave, erin] = await Promise.all([registerUser(server.url, 'dave'), registerUser(server.url, 'erin')]);
        const first = await createConversation(dave, [erin], 'first');
        await tick();
        const second = await createConversation(dave, [erin], 'second');
        await tick();
        const third = await createConversation(dave, [], 'third (dave alone)');
        await tick();
        await createConversation(erin, [], 'not dave\'s');
        await tick();
        const m1 = await sendMessage(erin, first.id, 'one');
        await tick();
        const m2 = await sendMessage(erin, first.id, 'two');
        await tick();
        await sendMessage(dave, first.id, 'mine');
        await tick();
        const m4 = await sendMessage(erin, first.id, 'four');
        // Activity order now: first (message), "not dave's", third, second.
        const response = await dave.api.get('/conversations');
        expect(response.status).toBe(200);
        expect(Object.keys(response.body).sort()).toEqual(['conversations', 'next_cursor']);
        expect(response.body.next_cursor).toBeNull();
        const list = response.body.conversations;
        expect(list.map((c: any) => c.id)).toEqual([first.id, third.id, second.id]);
        const [f, t, s] = list;
        expect(Object.keys(f).sort()).toEqual([
          'created_at', 'created_by', 'id', 'last_event_seq', 'last_message', 'last_seq', 'members', 'title', 'unread_count',
          // Issue #16 (mentions): an additive field.
          'unread_mentions',
        ]);
        expect(f.unread_mentions).toBe(0);
        expect(f.title).toBe('first');
        expect(f.last_seq).toBe(4);
        // conversation.created, then four messages: events 2 to 5, each message's version its event.
        expect(f.last_event_seq).toBe(5);
        expect([m1.version, m2.version, m4.version]).toEqual([2, 3, 5]);
        expect(f.last_message).toEqual(m4);
        expect(f.unread_count).toBe(3); // erin's one, two, four; dave's own message does not count
        expect(f.members.map((m: any) => m.user_id).sort()).toEqual([dave.user.id, erin.user.id].sort());
        expect(t.last_message).toBeNull();
        expect(t.unread_count).toBe(0);
        expect(t.last_event_seq).toBe(1);
        expect(s.last_message).toBeNull();
        expect(s.unread_count).toBe(0);
        expect(s.last_event_seq).toBe(1);

        // Reading up to seq 2 leaves "four" (seq 4) unread; deleting it leaves nothing.
        expect((await dave.api.post(`/conversations/${first.id}/read`, { seq: 2 })).status).toBe(204);
        const afterRead = (await dave.api.get('/conversations')).body.conversations[0];
        expect(afterRead.unread_count).toBe(1);
        expect(afterRead.last_event_seq).toBe(5); // a read position is not a conversation event
        expect((await erin.api.delete(`/messages/${m4.message_id}`)).status).toBe(204);
        const afterDelete = (await dave.api.get('/conversations')).body.conversations[0];
        expect(afterDelete.unread_count).toBe(0);
        expect(afterDelete.last_event_seq).toBe(6); // message.deleted
        expect(m1.seq).toBe(1);
        expect(m2.seq).toBe(2);

        // A message moves a conversation to the top.
        await tick();
        await sendMessage(dave, second.id, 'bump');
        const bumped = await dave.api.get('/conversations');
        expect(bumped.body.conversations.map((c: any) => c.id)).toEqual([second.id, first.id, third.id]);
      });

      it('counts only messages after last_read_seq, from others, not deleted', async () => {
        const [dave, erin] = await Promise.all([registerUser(server.url, 'dave'), registerUser(server.url, 'erin')]);
        const c = await createConversation(dave, [erin]);
        const sent = [];
        for (let i = 0; i < 5; i++) sent.push(await sendMessage(erin, c.id, `m${i}`));
        await sendMessage(dave, c.id, 'own');
        expect((await erin.api.delete(`/messages/${sent[1]!.message_id}`)).status).toBe(204);
        const summary = async (user: TestUser) => (await user.api.get('/conversations')).body.conversations.find((x: any) => x.id === c.id);
        expect((await summary(dave)).unread_count).toBe(4);
        expect((await summary(erin)).unread_count).toBe(1); // dave's "own"
        await dave.api.post(`/conversations/${c.id}/read`, { seq: 3 });
        expect((await summary(dave)).unread_count).toBe(2); // seq 4 and 5 from erin
        await dave.api.post(`/conversations/${c.id}/read`, { seq: 6 });
        expect((await summary(dave)).unread_count).toBe(0);
      });

      it(`counts at most the latest ${UNREAD_COUNT_CAP} unread messages and then says so with unread_count_capped (docs/API.md)`, async () => {
        const [dave, erin] = await Promise.all([registerUser(server.url, 'dave'), registerUser(server.url, 'erin')]);
        const c = await createConversation(dave, [erin]);
        for (let i = 0; i < UNREAD_COUNT_CAP + 2; i += 50) {
          await Promise.all(Array.from({ length: Math.min(50, UNREAD_COUNT_CAP + 2 - i) }, (_, j) => sendMessage(erin, c.id, `m${i + j}`)));
        }
        const summary = async () => (await dave.api.get('/conversations')).body.conversations.find((x: any) => x.id === c.id);
        const capped = await summary();
        expect(capped.unread_count).toBe(UNREAD_COUNT_CAP);
        expect(capped.unread_count_capped).toBe(true);
        // Two read: exactly CAP left, exact again, and the field is gone.
        await dave.api.post(`/conversations/${c.id}/read`, { seq: 2 });
        const exact = await summary();
        expect(exact.unread_count).toBe(UNREAD_COUNT_CAP);
        expect(exact).not.toHaveProperty('unread_count_capped');
      });

      it('pages with limit and next_cursor, covering every conversation exactly once in order', async () => {
        const frank = await registerUser(server.url, 'frank');
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) ids.push((await createConversation(frank, [], `c${i}`)).id);
        // Also some created within the same millisecond, to exercise the tie-break.
        const burst = await Promise.all(Array.from({ length: 5 }, (_, i) => createConversation(frank, [], `burst${i}`)));
        ids.push(...burst.map((c) => c.id));
        const full = await frank.api.get('/conversations?limit=200');
        expect(full.body.conversations).toHaveLength(12);
        expect(full.body.next_cursor).toBeNull();
        const expectedOrder = full.body.conversations.map((c: any) => c.id);
        expect([...expectedOrder].sort()).toEqual([...ids].sort());

        for (const limit of [1, 2, 5, 12]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const query: string = cursor ? `?limit=${limit}&before=${encodeURIComponent(cursor)}` : `?limit=${limit}`;
            const page = await frank.api.get(`/conversations${query}`);
            expect(page.status).toBe(200);
            expect(page.body.conversations.length).toBeLessThanOrEqual(limit);
            seen.push(...page.body.conversations.map((c: any) => c.id));
            cursor = page.body.next_cursor;
            if (cursor !== null) expect(typeof cursor).toBe('string');
            pages++;
          } while (cursor !== null && pages < 50);
          expect(seen).toEqual(expectedOrder);
          expect(pages).toBe(Math.ceil(12 / limit));
        }
      });

      it('returns an empty list and a null cursor to a user with no conversations', async () => {
        const loner = await registerUser(server.url, 'loner');
        const response = await loner.api.get('/conversations');
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ conversations: [], next_cursor: null });
      });

      it('stops listing a conversation the caller left', async () => {
        const [dave, erin] = await Promise.all([registerUser(server.url, 'dave'), registerUser(server.url, 'erin')]);
        const c = await createConversation(dave, [erin]);
        expect((await erin.api.delete(`/conversations/${c.id}/members/${erin.user.id}`)).status).toBe(204);
        expect((await erin.api.get('/conversations')).body.conversations).toEqual([]);
      });

      const garbage: [string, string][] = [
        ['plain text', 'garbage'],
        ['punctuation', '!!!***'],
        ['base64 of text without a separator', base64url('hello world')],
        ['a cursor with a non-UUID id', base64url('2026-01-01T00:00:00.000Z|not-a-uuid')],
        ['a cursor with a malformed time', base64url(`yesterday|${randomUUID()}`)],
        ['a cursor with an impossible date', base64url(`2026-13-45T99:99:99.999Z|${randomUUID()}`)],
        ['a cursor in year 0000', base64url(`0000-01-01T00:00:00.000Z|${randomUUID()}`)],
        ['a cursor with extra parts', base64url(`2026-01-01T00:00:00.000Z|${randomUUID()}|x`)],
      ];
      for (const [what, cursor] of garbage) {
        it(`returns 400 invalid_request when before is ${what}`, async () => {
          expectProblem(await alice.api.get(`/conversations?before=${encodeURIComponent(cursor)}`), 400, 'invalid_request');
        });
      }

      it('returns 400 when limit is 0, 201, fractional or not a number', async () => {
        for (const limit of ['0', '201', '1.5', 'abc', '-1']) {
          expectProblem(await alice.api.get(`/conversations?limit=${limit}`), 400, 'invalid_request');
        }
      });

      it('returns 401 without a token', async () => {
        const response = await fetch(`${server.url}/conversations`);
        expect(response.status).toBe(401);
      });
    });
  });
}
