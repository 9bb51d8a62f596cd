import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const TOTAL = 23;

for (const dialect of enabledDialects()) {
  describe(`GET /conversations/{id}/messages [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let outsider: TestUser;
    /** A conversation with TOTAL messages, seq 1..TOTAL, from two senders. */
    let full: string;
    let seqToId: Map<number, string>;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [owner, member, outsider] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'member'), registerUser(server.url, 'outsider')]);
      full = (await createConversation(owner, [member])).id;
      seqToId = new Map();
      for (let i = 1; i <= TOTAL; i++) {
        const m = await sendMessage(i % 2 ? owner : member, full, `message ${i}`);
        seqToId.set(m.seq, m.message_id);
      }
    });
    afterAll(() => server.close());

    const page = async (query: string, conversationId = full) => {
      const response = await member.api.get(`/conversations/${conversationId}/messages${query}`);
      expect(response.status).toBe(200);
      expect(Object.keys(response.body).sort()).toEqual(['has_more', 'messages']);
      return response.body as { messages: any[]; has_more: boolean };
    };
    const seqs = (p: { messages: any[] }) => p.messages.map((m) => m.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    it('returns no messages and has_more false for an empty conversation', async () => {
      const empty = await createConversation(owner, [member]);
      expect(await page('', empty.id)).toEqual({ messages: [], has_more: false });
      expect(await page('?after=0', empty.id)).toEqual({ messages: [], has_more: false });
    });

    it('returns whole Message objects with their stored content', async () => {
      const p = await page('?limit=1&after=0');
      expect(p.messages[0]).toEqual({
        message_id: seqToId.get(1),
        conversation_id: full,
        sender_id: owner.user.id,
        content: 'message 1',
        seq: 1,
        created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
        edited_at: null,
        deleted: false,
        // The conversation's creation is event 1, so message n was event n + 1, and none has changed since.
        version: 2,
        // Issue #16: every message carries its reactions.
        // Replies and threads: a message of the conversation itself, no thread.
        reply_to_id: null,
        thread_root_id: null,
        thread: null,
        reactions: [],
        // Issue #16: and whom it mentions.
        mentions: [],
        mentions_all: false,
        attachments: [],
      });
      expect((await page(`?limit=${TOTAL}`)).messages.map((m) => m.version)).toEqual(range(2, TOTAL + 1));
    });

    it('returns the latest 50 by default, ascending', async () => {
      const p = await page('');
      expect(seqs(p)).toEqual(range(1, TOTAL));
      expect(p.has_more).toBe(false);
    });

    it('without a cursor returns the latest `limit` messages, ascending, with has_more true when older exist', async () => {
      const p = await page('?limit=5');
      expect(seqs(p)).toEqual(range(TOTAL - 4, TOTAL));
      expect(p.has_more).toBe(true);
      expect(p.messages.map((m) => m.message_id)).toEqual(range(TOTAL - 4, TOTAL).map((s) => seqToId.get(s)));
    });

    it('returns has_more false when exactly `limit` messages exist', async () => {
      const p = await page(`?limit=${TOTAL}`);
      expect(seqs(p)).toEqual(range(1, TOTAL));
      expect(p.has_more).toBe(false);
    });

    it('returns has_more true when limit + 1 messages exist', async () => {
      const p = await page(`?limit=${TOTAL - 1}`);
      expect(seqs(p)).toEqual(range(2, TOTAL));
      expect(p.has_more).toBe(true);
    });

    it('before=S returns the latest `limit` with seq < S, ascending', async () => {
      const p = await page('?limit=4&before=10');
      expect(seqs(p)).toEqual([6, 7, 8, 9]);
      expect(p.has_more).toBe(true);
      const head = await page('?limit=4&before=5');
      expect(seqs(head)).toEqual([1, 2, 3, 4]);
      expect(head.has_more).toBe(false);
    });

    it('before=1 returns nothing, has_more false', async () => {
      expect(await page('?before=1')).toEqual({ messages: [], has_more: false });
    });

    it('before=0 returns nothing, has_more false', async () => {
      expect(await page('?before=0')).toEqual({ messages: [], has_more: false });
    });

    it('before beyond the end returns the latest `limit`', async () => {
      const p = await page(`?limit=3&before=${TOTAL + 100}`);
      expect(seqs(p)).toEqual(range(TOTAL - 2, TOTAL));
      expect(p.has_more).toBe(true);
    });

    it('after=S returns the first `limit` with seq > S, ascending', async () => {
      const p = await page('?limit=4&after=10');
      expect(seqs(p)).toEqual([11, 12, 13, 14]);
      expect(p.has_more).toBe(true);
      const tail = await page(`?limit=4&after=${TOTAL - 4}`);
      expect(seqs(tail)).toEqual(range(TOTAL - 3, TOTAL));
      expect(tail.has_more).toBe(false);
    });

    it('after=0 returns from the first message', async () => {
      const p = await page('?limit=3&after=0');
      expect(seqs(p)).toEqual([1, 2, 3]);
      expect(p.has_more).toBe(true);
    });

    it('after=last seq returns nothing, has_more false', async () => {
      expect(await page(`?after=${TOTAL}`)).toEqual({ messages: [], has_more: false });
      expect(await page(`?after=${TOTAL + 50}`)).toEqual({ messages: [], has_more: false });
    });

    it('paging forward with after walks the whole history exactly once', async () => {
      for (const limit of [1, 4, 7, TOTAL]) {
        const seen: number[] = [];
        let after = 0;
        for (let guard = 0; guard < 100; guard++) {
          const p = await page(`?limit=${limit}&after=${after}`);
          expect(p.messages.length).toBeLessThanOrEqual(limit);
          seen.push(...seqs(p));
          if (!p.has_more) break;
          after = p.messages.at(-1).seq;
        }
        expect(seen).toEqual(range(1, TOTAL));
      }
    });

    it('paging backward with before walks the whole history exactly once', async () => {
      for (const limit of [1, 4, 7, TOTAL]) {
        const pages: number[][] = [];
        let p = await page(`?limit=${limit}`);
        pages.unshift(seqs(p));
        for (let guard = 0; guard < 100 && p.has_more; guard++) {
          p = await page(`?limit=${limit}&before=${p.messages[0].seq}`);
          expect(p.messages.length).toBeLessThanOrEqual(limit);
          pages.unshift(seqs(p));
        }
        expect(pages.flat()).toEqual(range(1, TOTAL));
      }
    });

    it('keeps deleted messages in place with content "" so the seq sequence has no holes', async () => {
      const c = await createConversation(owner, [member]);
      const a = await sendMessage(owner, c.id, 'a');
      const b = await sendMessage(owner, c.id, 'b');
      await sendMessage(owner, c.id, 'c');
      expect((await owner.api.delete(`/messages/${b.message_id}`)).status).toBe(204);
      const p = await page('', c.id);
      expect(seqs(p)).toEqual([1, 2, 3]);
      expect(p.messages[0]).toEqual(a);
      // Events: 1 created, 2-4 the sends, 5 the deletion, which is b's version now.
      expect(p.messages[1]).toMatchObject({ message_id: b.message_id, content: '', deleted: true, version: 5 });
    });

    it('treats cursors beyond any stored seq as past the end, never failing (after empty, before = latest)', async () => {
      for (const huge of ['2147483647', '2147483648', '9999999999999999']) {
        expect(await page(`?after=${huge}`)).toEqual({ messages: [], has_more: false });
        const p = await page(`?limit=2&before=${huge}`);
        expect(seqs(p)).toEqual([TOTAL - 1, TOTAL]);
        expect(p.has_more).toBe(true);
      }
    });

    it('returns 400 when both before and after are given', async () => {
      const response = await member.api.get(`/conversations/${full}/messages?before=10&after=2`);
      expectProblem(response, 400, 'invalid_request');
    });

    for (const limit of ['0', '201', '1.5', 'abc', '-1', '', '1e2']) {
      it(`returns 400 naming limit when limit=${JSON.stringify(limit)}`, async () => {
        const response = await member.api.get(`/conversations/${full}/messages?limit=${limit}`);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain('limit');
      });
    }

    it('accepts limit 1 and 200', async () => {
      expect(seqs(await page('?limit=1'))).toEqual([TOTAL]);
      expect(seqs(await page('?limit=200'))).toEqual(range(1, TOTAL));
    });

    for (const [name, value] of [['before', '-1'], ['before', '2.5'], ['before', 'x'], ['after', '-1'], ['after', '2.5'], ['after', 'x']] as const) {
      it(`returns 400 naming ${name} when ${name}=${value}`, async () => {
        const response = await member.api.get(`/conversations/${full}/messages?${name}=${value}`);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain(name);
      });
    }

    it('returns 403 not_member to a non-member, with no messages in the body', async () => {
      const response = await outsider.api.get(`/conversations/${full}/messages`);
      expectProblem(response, 403, 'not_member');
      expect(JSON.stringify(response.body)).not.toContain('message 1');
      expect(response.body.messages).toBeUndefined();
    });

    it('returns 404 when the conversation does not exist', async () => {
      expectProblem(await member.api.get(`/conversations/${randomUUID()}/messages`), 404, 'not_found');
    });

    it('returns 401 without a token', async () => {
      expectProblem(await member.api.as(null).get(`/conversations/${full}/messages`), 401, 'unauthorized');
    });
  });
}
