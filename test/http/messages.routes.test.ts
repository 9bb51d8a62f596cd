import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** The two ways to send: POST /messages and POST /conversations/{id}/messages. */
const SENDERS = {
  'POST /messages': (user: TestUser, conversationId: string, body: Record<string, unknown>) =>
    user.api.post('/messages', { conversation_id: conversationId, ...body }),
  'POST /conversations/{id}/messages': (user: TestUser, conversationId: string, body: Record<string, unknown>) =>
    user.api.post(`/conversations/${conversationId}/messages`, body),
} as const;

for (const dialect of enabledDialects()) {
  describe(`messages routes [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let other: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [owner, member, other, outsider] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'member'), registerUser(server.url, 'other'), registerUser(server.url, 'outsider')]);
    });
    afterAll(() => server.close());

    const history = async (as: TestUser, conversationId: string) => {
      const response = await as.api.get(`/conversations/${conversationId}/messages?limit=200`);
      expect(response.status).toBe(200);
      return response.body.messages as any[];
    };

    for (const [route, send] of Object.entries(SENDERS)) {
      describe(route, () => {
        it('returns 201 with the stored message, seq 1, 2, 3 in order', async () => {
          const c = await createConversation(owner, [member]);
          const seqs: number[] = [];
          const versions: number[] = [];
          for (const [i, sender] of [owner, member, owner].entries()) {
            const message_id = randomUUID();
            const response = await send(sender, c.id, { message_id, content: `hello ${i}` });
            expect(response.status).toBe(201);
            // reply_to_id, thread_root_id, thread, reactions, mentions and mentions_all: additive fields of issue #16.
            expect(Object.keys(response.body).sort()).toEqual(['attachments', 'content', 'conversation_id', 'created_at', 'deleted', 'edited_at', 'mentions', 'mentions_all', 'message_id', 'reactions', 'reply_to_id', 'sender_id', 'seq', 'thread', 'thread_root_id', 'version']);
            expect(response.body).toMatchObject({ message_id, conversation_id: c.id, sender_id: sender.user.id, content: `hello ${i}`, edited_at: null, deleted: false, mentions: [], mentions_all: false });
            expect(response.body.created_at).toMatch(ISO_MS);
            seqs.push(response.body.seq);
            versions.push(response.body.version);
          }
          expect(seqs).toEqual([1, 2, 3]);
          // Each send is the conversation's next event, after conversation.created (event 1).
          expect(versions).toEqual([2, 3, 4]);
          const conversation = (await owner.api.get(`/conversations/${c.id}`)).body;
          expect(conversation.last_seq).toBe(3);
          expect(conversation.last_event_seq).toBe(4);
        });

        it('returns 200 and the stored message when the same message_id is sent again with the same content', async () => {
          const c = await createConversation(owner, [member]);
          const message_id = randomUUID();
          const first = await send(member, c.id, { message_id, content: 'once' });
          expect(first.status).toBe(201);
          const again = await send(member, c.id, { message_id, content: 'once' });
          expect(again.status).toBe(200);
          expect(again.body).toEqual(first.body);
          // No seq and no event_seq was consumed by the repeat: the next message gets seq 2, event 3.
          const next = await send(member, c.id, { message_id: randomUUID(), content: 'next' });
          expect(next.body.seq).toBe(2);
          expect(next.body.version).toBe(3);
          expect((await history(owner, c.id)).map((m) => m.message_id)).toEqual([message_id, next.body.message_id]);
        });

        it('returns 409 message_id_conflict when the message_id is reused with different content', async () => {
          const c = await createConversation(owner, [member]);
          const message_id = randomUUID();
          expect((await send(member, c.id, { message_id, content: 'original' })).status).toBe(201);
          const response = await send(member, c.id, { message_id, content: 'different' });
          expectProblem(response, 409, 'message_id_conflict');
          const stored = await history(owner, c.id);
          expect(stored).toHaveLength(1);
          expect(stored[0].content).toBe('original');
        });

        it('returns 409 message_id_conflict when the message_id is reused in another conversation', async () => {
          const c1 = await createConversation(owner, [member]);
          const c2 = await createConversation(owner, [member]);
          const message_id = randomUUID();
          expect((await send(member, c1.id, { message_id, content: 'same' })).status).toBe(201);
          expectProblem(await send(member, c2.id, { message_id, content: 'same' }), 409, 'message_id_conflict');
          expect(await history(owner, c2.id)).toEqual([]);
          expect((await owner.api.get(`/conversations/${c2.id}`)).body.last_seq).toBe(0);
        });

        it('returns 409 message_id_conflict when another sender reuses the message_id with the same content', async () => {
          const c = await createConversation(owner, [member]);
          const message_id = randomUUID();
          const first = await send(member, c.id, { message_id, content: 'mine' });
          expect(first.status).toBe(201);
          expectProblem(await send(owner, c.id, { message_id, content: 'mine' }), 409, 'message_id_conflict');
          expect(await history(owner, c.id)).toEqual([first.body]);
        });

        it('accepts message_id in upper case and stores it in lower case; the repeat matches', async () => {
          const c = await createConversation(owner, []);
          const message_id = randomUUID();
          const first = await send(owner, c.id, { message_id: message_id.toUpperCase(), content: 'x' });
          expect(first.status).toBe(201);
          expect(first.body.message_id).toBe(message_id);
          const again = await send(owner, c.id, { message_id, content: 'x' });
          expect(again.status).toBe(200);
          expect(again.body.seq).toBe(1);
        });

        it('returns 403 not_member when the caller is not a member, and stores nothing', async () => {
          const c = await createConversation(owner, [member]);
          expectProblem(await send(outsider, c.id, { message_id: randomUUID(), content: 'let me in' }), 403, 'not_member');
          expect(await history(owner, c.id)).toEqual([]);
        });

        it('returns 404 when the conversation does not exist', async () => {
          expectProblem(await send(owner, randomUUID(), { message_id: randomUUID(), content: 'anyone?' }), 404, 'not_found');
        });

        it('accepts content of 1 and of 4000 characters, including 4000 astral characters', async () => {
          const c = await createConversation(owner, []);
          for (const content of ['x', 'y'.repeat(4000), '😀'.repeat(4000)]) {
            const response = await send(owner, c.id, { message_id: randomUUID(), content });
            expect(response.status).toBe(201);
            expect(response.body.content).toBe(content);
          }
        });

        const invalid: [string, Record<string, unknown>, string][] = [
          ['the content is empty', { content: '' }, 'content'],
          ['the content is longer than 4000 characters', { content: 'z'.repeat(4001) }, 'content'],
          ['the content is a number', { content: 42 }, 'content'],
          ['the content is null', { content: null }, 'content'],
          ['the content is missing', { content: undefined }, 'content'],
          ['the message_id is not a UUID', { message_id: 'abc', content: 'x' }, 'message_id'],
          ['the message_id is a number', { message_id: 1, content: 'x' }, 'message_id'],
          ['the message_id is null', { message_id: null, content: 'x' }, 'message_id'],
        ];
        for (const [when, override, field] of invalid) {
          it(`returns 400 invalid_request naming ${field} when ${when}`, async () => {
            const c = await createConversation(owner, []);
            const response = await send(owner, c.id, { message_id: randomUUID(), content: 'x', ...override });
            expectProblem(response, 400, 'invalid_request');
            expect(response.body.detail).toContain(field);
            expect(await history(owner, c.id)).toEqual([]);
          });
        }

        it('returns 400 when message_id is missing', async () => {
          const c = await createConversation(owner, []);
          const response = await send(owner, c.id, { content: 'x' });
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain('message_id');
        });

        it('returns 403 sender_mismatch when sender_id is not the caller, and stores nothing', async () => {
          const c = await createConversation(owner, [member]);
          expectProblem(await send(member, c.id, { message_id: randomUUID(), content: 'as owner', sender_id: owner.user.id }), 403, 'sender_mismatch');
          expect(await history(owner, c.id)).toEqual([]);
        });

        it('accepts sender_id equal to the caller, in any case', async () => {
          const c = await createConversation(owner, [member]);
          for (const sender_id of [member.user.id, member.user.id.toUpperCase()]) {
            const response = await send(member, c.id, { message_id: randomUUID(), content: 'me', sender_id });
            expect(response.status).toBe(201);
            expect(response.body.sender_id).toBe(member.user.id);
          }
        });

        it('returns 400 (never 500) when sender_id is not a UUID string', async () => {
          const c = await createConversation(owner, []);
          for (const sender_id of [123, null, 'someone', true]) {
            const response = await send(owner, c.id, { message_id: randomUUID(), content: 'x', sender_id });
            expectProblem(response, 400, 'invalid_request');
            expect(response.body.detail).toContain('sender_id');
          }
          expect(await history(owner, c.id)).toEqual([]);
        });

        it('stores one message when 20 identical sends race: one 201, the rest 200', async () => {
          const c = await createConversation(owner, [member]);
          const message_id = randomUUID();
          const responses = await Promise.all(Array.from({ length: 20 }, () => send(member, c.id, { message_id, content: 'race' })));
          const statuses = responses.map((r) => r.status).sort();
          expect(statuses.filter((s) => s === 201)).toHaveLength(1);
          expect(statuses.filter((s) => s === 200)).toHaveLength(19);
          for (const r of responses) expect(r.body).toEqual(responses[0]!.body);
          expect(responses[0]!.body.seq).toBe(1);
          expect(responses[0]!.body.version).toBe(2);
          const stored = await history(owner, c.id);
          expect(stored).toHaveLength(1);
          expect((await owner.api.get(`/conversations/${c.id}`)).body).toMatchObject({ last_seq: 1, last_event_seq: 2 });
          const next = await send(member, c.id, { message_id: randomUUID(), content: 'after' });
          expect(next.body.seq).toBe(2);
          expect(next.body.version).toBe(3);
        });

        it('assigns seq 1..50 with no gaps or repeats to 50 concurrent sends', async () => {
          const c = await createConversation(owner, [member, other]);
          const senders = [owner, member, other];
          const responses = await Promise.all(
            Array.from({ length: 50 }, (_, i) => send(senders[i % 3]!, c.id, { message_id: randomUUID(), content: `m${i}` })),
          );
          expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
          const seqs = responses.map((r) => r.body.seq as number).sort((a, b) => a - b);
          expect(seqs).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
          const stored = await history(owner, c.id);
          expect(stored.map((m) => m.seq)).toEqual(seqs);
          const bySeq = new Map(responses.map((r) => [r.body.seq, r.body]));
          for (const m of stored) expect(m).toEqual(bySeq.get(m.seq));
          // seq and event_seq are taken in the same statement, so commit order gives both the same order.
          for (const m of stored) expect(m.version).toBe(m.seq + 1);
        });
      });
    }

    describe('POST /conversations/{id}/messages specifics', () => {
      it('uses the conversation of the path, not a conversation_id in the body', async () => {
        const c1 = await createConversation(owner, []);
        const c2 = await createConversation(owner, []);
        const response = await owner.api.post(`/conversations/${c1.id}/messages`, { message_id: randomUUID(), content: 'x', conversation_id: c2.id });
        expect(response.status).toBe(201);
        expect(response.body.conversation_id).toBe(c1.id);
        expect(await history(owner, c2.id)).toEqual([]);
      });

      it('returns 400 when the path id is not a UUID', async () => {
        expectProblem(await owner.api.post('/conversations/nope/messages', { message_id: randomUUID(), content: 'x' }), 400, 'invalid_request');
      });

      it('treats a send through either route as the same message_id (idempotent across routes)', async () => {
        const c = await createConversation(owner, []);
        const message_id = randomUUID();
        const first = await owner.api.post('/messages', { message_id, conversation_id: c.id, content: 'x' });
        expect(first.status).toBe(201);
        const again = await owner.api.post(`/conversations/${c.id}/messages`, { message_id, content: 'x' });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(first.body);
      });
    });

    describe('POST /messages specifics', () => {
      it('returns 400 naming conversation_id when it is missing or not a UUID', async () => {
        for (const body of [{ message_id: randomUUID(), content: 'x' }, { message_id: randomUUID(), content: 'x', conversation_id: 'abc' }]) {
          const response = await owner.api.post('/messages', body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain('conversation_id');
        }
      });

      it('returns 413 payload_too_large for a body over 64 KiB', async () => {
        const c = await createConversation(owner, []);
        const response = await owner.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'a'.repeat(70_000) });
        expectProblem(response, 413, 'payload_too_large');
      });
    });

    describe('PATCH /messages/{message_id}', () => {
      it('returns 200 with the edited message: new content, edited_at set, same seq', async () => {
        const c = await createConversation(owner, [member]);
        await sendMessage(owner, c.id, 'first');
        const original = await sendMessage(member, c.id, 'typo');
        await tick();
        // Events: 1 conversation.created, 2 'first', 3 'typo'.
        expect(original.version).toBe(3);
        const response = await member.api.patch(`/messages/${original.message_id}`, { content: 'fixed' });
        expect(response.status).toBe(200);
        // The edit is event 4, and so the message's version.
        expect(response.body).toMatchObject({ ...original, content: 'fixed', seq: 2, deleted: false, edited_at: expect.any(String), version: 4 });
        expect(response.body.edited_at).toMatch(ISO_MS);
        expect(response.body.edited_at >= original.created_at).toBe(true);
        const stored = await history(owner, c.id);
        expect(stored[1]).toEqual(response.body);
        expect((await owner.api.get(`/conversations/${c.id}`)).body).toMatchObject({ last_seq: 2, last_event_seq: 4 });
      });

      it('returns 403 not_sender when another member edits, and changes nothing', async () => {
        const c = await createConversation(owner, [member]);
        const message = await sendMessage(member, c.id, 'mine');
        expectProblem(await owner.api.patch(`/messages/${message.message_id}`, { content: 'owner edit' }), 403, 'not_sender');
        expect((await history(owner, c.id))[0]).toEqual(message);
      });

      it('returns 403 not_member when a non-member edits, and leaks nothing', async () => {
        const c = await createConversation(owner, [member]);
        const message = await sendMessage(member, c.id, 'private words');
        const response = await outsider.api.patch(`/messages/${message.message_id}`, { content: 'hijack' });
        expectProblem(response, 403, 'not_member');
        expect(JSON.stringify(response.body)).not.toContain('private words');
        expect((await history(owner, c.id))[0]).toEqual(message);
      });

      it('returns 404 when the message does not exist', async () => {
        expectProblem(await owner.api.patch(`/messages/${randomUUID()}`, { content: 'x' }), 404, 'not_found');
      });

      it('returns 400 when the content is empty, too long, or not a string', async () => {
        const c = await createConversation(owner, []);
        const message = await sendMessage(owner, c.id, 'x');
        for (const content of ['', 'z'.repeat(4001), 5, null]) {
          const response = await owner.api.patch(`/messages/${message.message_id}`, { content });
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain('content');
        }
        expect((await history(owner, c.id))[0]).toEqual(message);
      });

      it('returns 400 when the message_id is not a UUID', async () => {
        expectProblem(await owner.api.patch('/messages/nope', { content: 'x' }), 400, 'invalid_request');
      });
    });

    describe('DELETE /messages/{message_id}', () => {
      it('returns 204; the message keeps its seq with content "" and deleted true', async () => {
        const c = await createConversation(owner, [member]);
        const before = await sendMessage(member, c.id, 'one');
        const target = await sendMessage(member, c.id, 'regrettable');
        const after = await sendMessage(member, c.id, 'three');
        const response = await member.api.delete(`/messages/${target.message_id}`);
        expect(response.status).toBe(204);
        expect(response.body).toBe('');
        const stored = await history(owner, c.id);
        expect(stored.map((m) => m.seq)).toEqual([1, 2, 3]);
        expect(stored[0]).toEqual(before);
        expect(stored[2]).toEqual(after);
        // Events: 1 conversation.created, 2-4 the sends, 5 the deletion.
        expect(stored[1]).toMatchObject({ message_id: target.message_id, seq: 2, sender_id: member.user.id, content: '', deleted: true, version: 5 });
        // The seq is not reused.
        expect(await sendMessage(member, c.id, 'four')).toMatchObject({ seq: 4, version: 6 });
      });

      it('lets an owner delete another member\'s message', async () => {
        const c = await createConversation(owner, [member]);
        const message = await sendMessage(member, c.id, 'spam');
        expect((await owner.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expect((await history(owner, c.id))[0]).toMatchObject({ content: '', deleted: true, seq: 1 });
      });

      it('returns 403 when a plain member deletes another member\'s message, and changes nothing', async () => {
        const c = await createConversation(owner, [member, other]);
        const byOther = await sendMessage(other, c.id, 'keep me');
        const byOwner = await sendMessage(owner, c.id, 'keep me too');
        expectProblem(await member.api.delete(`/messages/${byOther.message_id}`), 403);
        expectProblem(await member.api.delete(`/messages/${byOwner.message_id}`), 403);
        expect(await history(owner, c.id)).toEqual([byOther, byOwner]);
      });

      it('returns 403 not_member when a non-member deletes', async () => {
        const c = await createConversation(owner, [member]);
        const message = await sendMessage(member, c.id, 'stay');
        expectProblem(await outsider.api.delete(`/messages/${message.message_id}`), 403, 'not_member');
        expect((await history(owner, c.id))[0]).toEqual(message);
      });

      it('returns 404 when the message does not exist', async () => {
        expectProblem(await owner.api.delete(`/messages/${randomUUID()}`), 404, 'not_found');
      });

      it('answers 204 again when the message is already deleted, and keeps it deleted', async () => {
        const c = await createConversation(owner, []);
        const message = await sendMessage(owner, c.id, 'x');
        expect((await owner.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expect((await owner.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        // One message.deleted event (3), not two: the repeat changed nothing.
        expect((await history(owner, c.id))[0]).toMatchObject({ content: '', deleted: true, version: 3 });
        expect((await owner.api.get(`/conversations/${c.id}`)).body.last_event_seq).toBe(3);
      });

      it('does not let a deleted message be edited back to life', async () => {
        const c = await createConversation(owner, []);
        const message = await sendMessage(owner, c.id, 'x');
        expect((await owner.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        const response = await owner.api.patch(`/messages/${message.message_id}`, { content: 'back' });
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        expect((await history(owner, c.id))[0]).toMatchObject({ content: '', deleted: true });
      });
    });

    describe('rate limit', () => {
      let limited: TestServer;
      beforeAll(async () => {
        limited = await startServer({ dialect, env: { RATE_LIMIT_MESSAGES_PER_MINUTE: '3' } });
      });
      afterAll(() => limited.close());

      it('returns 429 rate_limited with Retry-After once the sender exceeds the limit, and stores nothing more', async () => {
        const sender = await registerUser(limited.url, 'fast');
        const c = await createConversation(sender, []);
        for (let i = 0; i < 3; i++) await sendMessage(sender, c.id, `m${i}`);
        const response = await sender.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'one too many' });
        expectProblem(response, 429, 'rate_limited');
        expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
        const stored = await sender.api.get(`/conversations/${c.id}/messages`);
        expect(stored.body.messages).toHaveLength(3);
      });
    });
  });
}
