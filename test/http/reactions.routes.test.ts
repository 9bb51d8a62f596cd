/**
 * PUT and DELETE /messages/{id}/reactions/{emoji} and GET /messages/{id}/reactions: success,
 * idempotency (a repeat changes nothing and logs nothing), what counts as an emoji, and every
 * refusal with its status and code.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const MAX_DISTINCT = 3;
const path = (messageId: string, emoji: string) => `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

for (const dialect of enabledDialects()) {
  describe(`reactions routes [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { REACTIONS_MAX_DISTINCT: String(MAX_DISTINCT) } });
      [alice, bob, outsider] = await registerUsers(server.url, 'alice', 'bob', 'outsider');
    });
    afterAll(() => server.close());

    /** A conversation of alice and bob with one message by alice. */
    async function arrange() {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'react to me');
      const lastEventSeq = async () => (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
      const historyAs = async (user: TestUser) => (await user.api.get(`/conversations/${conversation.id}/messages`)).body.messages[0];
      return { conversation, message, lastEventSeq, historyAs };
    }

    describe('PUT /messages/{id}/reactions/{emoji}', () => {
      it('answers 204 and the message carries the count; a repeat answers 204 and changes nothing', async () => {
        const { message, lastEventSeq, historyAs } = await arrange();
        const before = await lastEventSeq();
        const first = await bob.api.request('PUT', path(message.message_id, '👍'));
        expect(first.status).toBe(204);
        expect(first.body).toBe('');
        expect(await lastEventSeq()).toBe(before + 1);
        expect((await bob.api.request('PUT', path(message.message_id, '👍'))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect(await historyAs(bob)).toMatchObject({ version: before + 1, reactions: [{ emoji: '👍', count: 1 }] });
        expect(await historyAs(alice)).toEqual(await historyAs(bob));
        expect((await alice.api.get(`/messages/${message.message_id}/reactions`)).body.reactions).toEqual([{ emoji: '👍', count: 1, user_ids: [bob.user.id] }]);
      });

      it('accepts skin tones, ZWJ sequences, flags and keycaps, each one emoji', async () => {
        const conversation = await createConversation(alice, [bob]);
        for (const emoji of ['👍🏽', '👨‍👩‍👧', '🇫🇷', '1️⃣', '❤️', '🏴󠁧󠁢󠁳󠁣󠁴󠁿']) {
          // One message each: the cap on distinct emoji is not what this case is about.
          const message = await sendMessage(alice, conversation.id, emoji);
          expect({ emoji, status: (await bob.api.request('PUT', path(message.message_id, emoji))).status }).toEqual({ emoji, status: 204 });
          expect((await bob.api.get(`/messages/${message.message_id}/reactions`)).body.reactions).toEqual([{ emoji, count: 1, user_ids: [bob.user.id] }]);
        }
      });

      it('answers 400 invalid_emoji for anything but exactly one emoji', async () => {
        const { message } = await arrange();
        // A bare heart (U+2764) is not RGI without its VS16; a skin tone swatch alone (🏽) is, and so allowed.
        for (const emoji of ['a', '👍👍', '👍 ', ' ', '❤', '#', 'ab', '<script>', '👍'.repeat(40), '\u200d', '👍\u200d']) {
          expectProblem(await bob.api.request('PUT', path(message.message_id, emoji)), 400, 'invalid_emoji');
          expectProblem(await bob.api.request('DELETE', path(message.message_id, emoji)), 400, 'invalid_emoji');
        }
      });

      it(`answers 409 too_many_reactions for a new emoji beyond ${MAX_DISTINCT} distinct, but accepts one already there`, async () => {
        const { message } = await arrange();
        for (const emoji of ['😀', '😂', '😍']) expect((await alice.api.request('PUT', path(message.message_id, emoji))).status).toBe(204);
        expectProblem(await bob.api.request('PUT', path(message.message_id, '🎉')), 409, 'too_many_reactions');
        expect((await bob.api.request('PUT', path(message.message_id, '😂'))).status).toBe(204);
        expect((await alice.api.request('PUT', path(message.message_id, '😂'))).status).toBe(204);
        // Once one goes, there is room again.
        expect((await alice.api.request('DELETE', path(message.message_id, '😀'))).status).toBe(204);
        expect((await bob.api.request('PUT', path(message.message_id, '🎉'))).status).toBe(204);
      });

      it('answers 403 not_member to a non-member, 404 not_found for an unknown message, 400 invalid_request for a malformed id', async () => {
        const { message } = await arrange();
        expectProblem(await outsider.api.request('PUT', path(message.message_id, '👍')), 403, 'not_member');
        expectProblem(await bob.api.request('PUT', path(randomUUID(), '👍')), 404, 'not_found');
        expectProblem(await bob.api.request('PUT', path('not-a-uuid', '👍')), 400, 'invalid_request');
      });

      it('answers 409 message_deleted for a deleted message, as an edit of it does', async () => {
        const { message } = await arrange();
        expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expectProblem(await alice.api.patch(`/messages/${message.message_id}`, { content: 'x' }), 409, 'message_deleted');
        expectProblem(await bob.api.request('PUT', path(message.message_id, '👍')), 409, 'message_deleted');
        expectProblem(await bob.api.request('DELETE', path(message.message_id, '👍')), 409, 'message_deleted');
      });
    });

    describe('DELETE /messages/{id}/reactions/{emoji}', () => {
      it('answers 204 and takes only the caller reaction back; a repeat, or one never there, answers 204 and changes nothing', async () => {
        const { message, lastEventSeq, historyAs } = await arrange();
        expect((await alice.api.request('PUT', path(message.message_id, '🎉'))).status).toBe(204);
        expect((await bob.api.request('PUT', path(message.message_id, '🎉'))).status).toBe(204);
        const before = await lastEventSeq();
        expect((await bob.api.request('DELETE', path(message.message_id, '🎉'))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect((await bob.api.request('DELETE', path(message.message_id, '🎉'))).status).toBe(204);
        expect((await bob.api.request('DELETE', path(message.message_id, '👀'))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect(await historyAs(bob)).toMatchObject({ reactions: [{ emoji: '🎉', count: 1 }] });
        expect(await historyAs(alice)).toEqual(await historyAs(bob));
      });

      it('answers 403 not_member to a non-member and 404 not_found for an unknown message', async () => {
        const { message } = await arrange();
        expectProblem(await outsider.api.request('DELETE', path(message.message_id, '👍')), 403, 'not_member');
        expectProblem(await bob.api.request('DELETE', path(randomUUID(), '👍')), 404, 'not_found');
      });
    });

    describe('GET /messages/{id}/reactions', () => {
      it('lists who reacted per emoji, in order of first reaction, reactors earliest first', async () => {
        const { message } = await arrange();
        expect((await bob.api.get(`/messages/${message.message_id}/reactions`)).body).toEqual({ reactions: [] });
        for (const [user, emoji] of [[bob, '👀'], [alice, '🎉'], [alice, '👀']] as const) await user.api.request('PUT', path(message.message_id, emoji));
        const response = await alice.api.get(`/messages/${message.message_id}/reactions`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          reactions: [
            { emoji: '👀', count: 2, user_ids: [bob.user.id, alice.user.id] },
            { emoji: '🎉', count: 1, user_ids: [alice.user.id] },
          ],
        });
      });

      it('answers 403 not_member to a non-member, 404 not_found for an unknown message, an empty list for a deleted one', async () => {
        const { message } = await arrange();
        await bob.api.request('PUT', path(message.message_id, '👍'));
        expectProblem(await outsider.api.get(`/messages/${message.message_id}/reactions`), 403, 'not_member');
        expectProblem(await bob.api.get(`/messages/${randomUUID()}/reactions`), 404, 'not_found');
        expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expect((await bob.api.get(`/messages/${message.message_id}/reactions`)).body).toEqual({ reactions: [] });
      });
    });
  });
}
