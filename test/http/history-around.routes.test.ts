/**
 * GET /conversations/{id}/messages?around=SEQ (issue #17, "jump to message"): the page centred
 * on a seq, with has_more_before / has_more_after to page both ways from it; the other pages
 * keep their v1 shape (history.routes.test.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const TOTAL = 21;

interface AroundPage {
  messages: { seq: number; message_id: string; content: string; deleted: boolean; thread_root_id: string | null }[];
  has_more: boolean;
  has_more_before: boolean;
  has_more_after: boolean;
  my_reactions?: Record<string, string[]>;
}

for (const dialect of enabledDialects()) {
  describe(`GET /conversations/{id}/messages?around=SEQ [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let outsider: TestUser;
    /** TOTAL messages, seq 1..TOTAL. */
    let full: string;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [owner, member, outsider] = await registerUsers(server.url, 'owner', 'member', 'outsider');
      full = (await createConversation(owner, [member])).id;
      for (let i = 1; i <= TOTAL; i++) await sendMessage(i % 2 ? owner : member, full, `message ${i}`);
    });
    afterAll(() => server.close());

    const get = (query: string, conversationId = full) => member.api.get(`/conversations/${conversationId}/messages${query}`);
    const around = async (query: string, conversationId = full): Promise<AroundPage> => {
      const response = await get(query, conversationId);
      expect(response.status).toBe(200);
      return response.body as AroundPage;
    };
    const seqs = (p: { messages: { seq: number }[] }) => p.messages.map((m) => m.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    it('returns the message with floor(limit / 2) older ones before it and the rest after, ascending', async () => {
      const p = await around('?around=10&limit=5');
      expect(Object.keys(p).sort()).toEqual(['has_more', 'has_more_after', 'has_more_before', 'messages']);
      expect(seqs(p)).toEqual([8, 9, 10, 11, 12]);
      expect(p.messages[2]!.content).toBe('message 10');
      expect(p).toMatchObject({ has_more: true, has_more_before: true, has_more_after: true });
      expect(seqs(await around('?around=10&limit=4'))).toEqual([8, 9, 10, 11]);
      expect(seqs(await around('?around=10&limit=1'))).toEqual([10]);
    });

    it('uses the default limit of 50 (the whole conversation here)', async () => {
      expect(await around('?around=10')).toMatchObject({ has_more: false, has_more_before: false, has_more_after: false });
      expect(seqs(await around('?around=10'))).toEqual(range(1, TOTAL));
    });

    it('fills the page from the other side near either end', async () => {
      const first = await around('?around=1&limit=5');
      expect(seqs(first)).toEqual([1, 2, 3, 4, 5]);
      expect(first).toMatchObject({ has_more: true, has_more_before: false, has_more_after: true });
      const last = await around(`?around=${TOTAL}&limit=5`);
      expect(seqs(last)).toEqual(range(TOTAL - 4, TOTAL));
      expect(last).toMatchObject({ has_more: true, has_more_before: true, has_more_after: false });
    });

    it('answers the latest page around a seq past the end and the first page around 0', async () => {
      for (const past of [TOTAL + 1, 2_147_483_647, 2_147_483_648, 9_999_999_999_999]) {
        const p = await around(`?around=${past}&limit=3`);
        expect(seqs(p)).toEqual(range(TOTAL - 2, TOTAL));
        expect(p).toMatchObject({ has_more_before: true, has_more_after: false });
      }
      expect(seqs(await around('?around=0&limit=3'))).toEqual([1, 2, 3]);
    });

    it('answers an empty page for an empty conversation', async () => {
      const empty = await createConversation(owner, [member]);
      expect(await around('?around=1', empty.id)).toEqual({ messages: [], has_more: false, has_more_before: false, has_more_after: false });
    });

    it('pages both ways from an around page with before and after, covering the history exactly once', async () => {
      for (const limit of [1, 4, 7]) {
        const start = await around(`?around=11&limit=${limit}`);
        const seen = seqs(start);
        let older = start;
        for (let guard = 0; guard < 50 && (older === start ? older.has_more_before : older.has_more); guard++) {
          older = await around(`?before=${older.messages[0]!.seq}&limit=${limit}`);
          seen.unshift(...seqs(older));
        }
        let newer = start;
        for (let guard = 0; guard < 50 && (newer === start ? newer.has_more_after : newer.has_more); guard++) {
          newer = await around(`?after=${newer.messages.at(-1)!.seq}&limit=${limit}`);
          seen.push(...seqs(newer));
        }
        expect(seen).toEqual(range(1, TOTAL));
      }
    });

    it('keeps deleted messages and thread replies in place, as the other history pages do', async () => {
      const c = await createConversation(owner, [member]);
      const root = await sendMessage(owner, c.id, 'root');
      const gone = await sendMessage(owner, c.id, 'to delete');
      const reply = await owner.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, thread_root_id: root.message_id, content: 'a reply' });
      expect(reply.status).toBe(201);
      await sendMessage(member, c.id, 'after');
      expect((await owner.api.delete(`/messages/${gone.message_id}`)).status).toBe(204);
      const p = await around('?around=3&limit=3', c.id);
      expect(seqs(p)).toEqual([2, 3, 4]);
      expect(p.messages[0]).toMatchObject({ message_id: gone.message_id, content: '', deleted: true });
      expect(p.messages[1]).toMatchObject({ message_id: reply.body.message_id, thread_root_id: root.message_id });
      expect(seqs((await get('?limit=3', c.id)).body as AroundPage)).toEqual([2, 3, 4]);
    });

    it("carries the caller's my_reactions as the other pages do", async () => {
      const c = await createConversation(owner, [member]);
      const target = await sendMessage(owner, c.id, 'react to me');
      expect((await member.api.request('PUT', `/messages/${target.message_id}/reactions/${encodeURIComponent('👍')}`)).status).toBe(204);
      const p = await around('?around=1', c.id);
      expect(p.my_reactions).toEqual({ [target.message_id]: ['👍'] });
    });

    it('keeps the v1 shape of the other pages (no has_more_before / has_more_after)', async () => {
      for (const query of ['', '?limit=3', '?before=5', '?after=5']) {
        expect(Object.keys((await get(query)).body).sort()).toEqual(['has_more', 'messages']);
      }
    });

    for (const query of ['?around=5&before=6', '?around=5&after=4', '?around=5&before=9&after=2']) {
      it(`returns 400 invalid_request for ${query} (around is exclusive with before and after)`, async () => {
        const response = await get(query);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain('around');
      });
    }

    for (const value of ['-1', '2.5', 'x', '']) {
      it(`returns 400 naming around when around=${JSON.stringify(value)}`, async () => {
        const response = await get(`?around=${value}`);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain('around');
      });
    }

    it('returns 403 not_member to a non-member and 404 for an unknown conversation', async () => {
      const refused = await outsider.api.get(`/conversations/${full}/messages?around=5`);
      expectProblem(refused, 403, 'not_member');
      expect(refused.body.messages).toBeUndefined();
      expectProblem(await member.api.get(`/conversations/${randomUUID()}/messages?around=5`), 404, 'not_found');
    });
  });
}
