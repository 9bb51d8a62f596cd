import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`POST /conversations/{id}/read [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let reader: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [owner, reader, outsider] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'reader'), registerUser(server.url, 'outsider')]);
    });
    afterAll(() => server.close());

    /** A conversation of owner and reader with `count` messages from the owner. */
    async function withMessages(count: number): Promise<string> {
      const c = await createConversation(owner, [reader]);
      for (let i = 0; i < count; i++) await sendMessage(owner, c.id, `m${i}`);
      return c.id;
    }
    const lastReadSeq = async (conversationId: string, user: TestUser = reader): Promise<number> => {
      const response = await owner.api.get(`/conversations/${conversationId}`);
      return response.body.members.find((m: any) => m.user_id === user.user.id).last_read_seq;
    };
    const unreadCount = async (conversationId: string, user: TestUser = reader): Promise<number> => {
      const response = await user.api.get('/conversations?limit=200');
      return response.body.conversations.find((c: any) => c.id === conversationId).unread_count;
    };
    const markRead = (conversationId: string, seq: unknown, user: TestUser = reader) => user.api.post(`/conversations/${conversationId}/read`, { seq });

    it('returns 204 and shows the new last_read_seq in the members list', async () => {
      const c = await withMessages(5);
      const response = await markRead(c, 3);
      expect(response.status).toBe(204);
      expect(response.body).toBe('');
      expect(await lastReadSeq(c)).toBe(3);
      expect(await lastReadSeq(c, owner)).toBe(0);
      const asSeenByReader = await reader.api.get(`/conversations/${c}`);
      expect(asSeenByReader.body.members.find((m: any) => m.user_id === reader.user.id).last_read_seq).toBe(3);
    });

    it('moves unread_count with last_read_seq', async () => {
      const c = await withMessages(5);
      expect(await unreadCount(c)).toBe(5);
      await markRead(c, 2);
      expect(await unreadCount(c)).toBe(3);
      await markRead(c, 5);
      expect(await unreadCount(c)).toBe(0);
      await sendMessage(owner, c, 'new');
      expect(await unreadCount(c)).toBe(1);
    });

    it('accepts a lower seq with 204 and changes nothing', async () => {
      const c = await withMessages(5);
      expect((await markRead(c, 4)).status).toBe(204);
      expect((await markRead(c, 2)).status).toBe(204);
      expect(await lastReadSeq(c)).toBe(4);
      expect((await markRead(c, 0)).status).toBe(204);
      expect(await lastReadSeq(c)).toBe(4);
      expect(await unreadCount(c)).toBe(1);
    });

    it('accepts the same seq again with 204', async () => {
      const c = await withMessages(2);
      expect((await markRead(c, 2)).status).toBe(204);
      expect((await markRead(c, 2)).status).toBe(204);
      expect(await lastReadSeq(c)).toBe(2);
    });

    it('counts a seq above last_seq as last_seq', async () => {
      const c = await withMessages(3);
      expect((await markRead(c, 1000)).status).toBe(204);
      expect(await lastReadSeq(c)).toBe(3);
      // A message arriving later is unread: the read position did not run ahead of the conversation.
      await sendMessage(owner, c, 'later');
      expect(await unreadCount(c)).toBe(1);
      expect(await lastReadSeq(c)).toBe(3);
    });

    it('keeps last_read_seq at 0 when the conversation has no messages', async () => {
      const c = await withMessages(0);
      expect((await markRead(c, 7)).status).toBe(204);
      expect(await lastReadSeq(c)).toBe(0);
      await sendMessage(owner, c, 'first');
      expect(await unreadCount(c)).toBe(1);
    });

    it('ends at the highest seq when several reads race', async () => {
      const c = await withMessages(10);
      const responses = await Promise.all([3, 9, 1, 7, 10, 2, 5].map((seq) => markRead(c, seq)));
      expect(responses.map((r) => r.status)).toEqual(Array(7).fill(204));
      expect(await lastReadSeq(c)).toBe(10);
    });

    const invalid: [string, unknown][] = [
      ['negative', -1],
      ['a float', 1.5],
      ['a numeric string', '3'],
      ['null', null],
      ['a boolean', true],
    ];
    for (const [what, seq] of invalid) {
      it(`returns 400 invalid_request naming seq when seq is ${what}, and changes nothing`, async () => {
        const c = await withMessages(3);
        await markRead(c, 1);
        const response = await markRead(c, seq);
        expectProblem(response, 400, 'invalid_request');
        expect(response.body.detail).toContain('seq');
        expect(await lastReadSeq(c)).toBe(1);
      });
    }

    it('returns 400 when seq is missing', async () => {
      const c = await withMessages(1);
      const response = await reader.api.post(`/conversations/${c}/read`, {});
      expectProblem(response, 400, 'invalid_request');
      expect(response.body.detail).toContain('seq');
    });

    it('returns 403 not_member to a non-member, and moves nobody', async () => {
      const c = await withMessages(3);
      expectProblem(await markRead(c, 3, outsider), 403, 'not_member');
      expect(await lastReadSeq(c)).toBe(0);
      expect(await lastReadSeq(c, owner)).toBe(0);
    });

    it('returns 404 when the conversation does not exist', async () => {
      expectProblem(await markRead(randomUUID(), 1), 404, 'not_found');
    });

    it('returns 400 when the conversation id is not a UUID', async () => {
      expectProblem(await reader.api.post('/conversations/nope/read', { seq: 1 }), 400, 'invalid_request');
    });
  });
}
