/**
 * PUT and DELETE /conversations/{id}/pins/{message_id} and GET /conversations/{id}/pins: success,
 * idempotency (a repeat changes nothing and logs nothing), the order of the list, the cap of
 * PINS_MAX_PER_CONVERSATION, a deleted message losing its pin, and every refusal with its status
 * and code.
 */
import { randomUUID } from 'node:crypto';
import { PINS_MAX_PER_CONVERSATION } from '@pneumatic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const path = (conversationId: string, messageId: string) => `/conversations/${conversationId}/pins/${messageId}`;

for (const dialect of enabledDialects()) {
  describe(`pins routes [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, outsider] = await registerUsers(server.url, 'alice', 'bob', 'outsider');
    });
    afterAll(() => server.close());

    /** A conversation of alice and bob with one message by alice. */
    async function arrange() {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'pin me');
      const lastEventSeq = async () => (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
      const pins = async (user: TestUser = alice) => (await user.api.get(`/conversations/${conversation.id}/pins`)).body.pins;
      return { conversation, message, lastEventSeq, pins };
    }

    describe('PUT /conversations/{id}/pins/{message_id}', () => {
      it('answers 204 and lists the pin with its message; a repeat answers 204 and changes nothing', async () => {
        const { conversation, message, lastEventSeq, pins } = await arrange();
        const before = await lastEventSeq();
        const first = await bob.api.request('PUT', path(conversation.id, message.message_id));
        expect(first.status).toBe(204);
        expect(first.body).toBe('');
        expect(await lastEventSeq()).toBe(before + 1);
        const listed = await pins();
        expect(listed).toEqual([{ message, pinned_by: bob.user.id, pinned_at: expect.any(String) }]);
        // A repeat, by the same member or another, is the same pin.
        expect((await bob.api.request('PUT', path(conversation.id, message.message_id))).status).toBe(204);
        expect((await alice.api.request('PUT', path(conversation.id, message.message_id))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect(await pins(bob)).toEqual(listed);
        // The message itself is unchanged: no new field, no new version.
        expect((await alice.api.get(`/conversations/${conversation.id}/messages`)).body.messages).toEqual([message]);
      });

      it('lists the newest pin first, each message as it is now', async () => {
        const { conversation, message, pins } = await arrange();
        const second = await sendMessage(bob, conversation.id, 'me too');
        await alice.api.request('PUT', path(conversation.id, message.message_id));
        await bob.api.request('PUT', path(conversation.id, second.message_id));
        const edited = (await alice.api.patch(`/messages/${message.message_id}`, { content: 'pin me, edited' })).body;
        const listed = await pins();
        expect(listed.map((p: { message: { message_id: string }; pinned_by: string }) => [p.message.message_id, p.pinned_by])).toEqual([
          [second.message_id, bob.user.id],
          [message.message_id, alice.user.id],
        ]);
        expect(listed[1].message).toEqual(edited);
      });

      it(`answers 409 too_many_pins beyond ${PINS_MAX_PER_CONVERSATION}, accepts a repeat of a pinned one, and has room again after an unpin`, async () => {
        const { conversation, message, lastEventSeq, pins } = await arrange();
        const ids = [message.message_id];
        for (let i = 1; i <= PINS_MAX_PER_CONVERSATION; i++) ids.push((await sendMessage(alice, conversation.id, `m${i}`)).message_id);
        for (const id of ids.slice(0, PINS_MAX_PER_CONVERSATION)) expect((await bob.api.request('PUT', path(conversation.id, id))).status).toBe(204);
        const full = await lastEventSeq();
        const refused = await bob.api.request('PUT', path(conversation.id, ids.at(-1)!));
        expectProblem(refused, 409, 'too_many_pins');
        expect(refused.body.detail).toContain(String(PINS_MAX_PER_CONVERSATION));
        expect(await lastEventSeq()).toBe(full);
        expect((await bob.api.request('PUT', path(conversation.id, ids[0]!))).status).toBe(204);
        expect(await pins()).toHaveLength(PINS_MAX_PER_CONVERSATION);
        expect((await alice.api.request('DELETE', path(conversation.id, ids[3]!))).status).toBe(204);
        expect((await bob.api.request('PUT', path(conversation.id, ids.at(-1)!))).status).toBe(204);
        expect((await pins())[0].message.message_id).toBe(ids.at(-1));
      });

      it('answers 403 not_member to a non-member and to a former member, 404 for an unknown conversation or message, 400 for malformed ids', async () => {
        const { conversation, message } = await arrange();
        expectProblem(await outsider.api.request('PUT', path(conversation.id, message.message_id)), 403, 'not_member');
        // A non-member is told not_member whether or not the message exists.
        expectProblem(await outsider.api.request('PUT', path(conversation.id, randomUUID())), 403, 'not_member');
        expectProblem(await bob.api.request('PUT', path(randomUUID(), message.message_id)), 404, 'not_found');
        expectProblem(await bob.api.request('PUT', path(conversation.id, randomUUID())), 404, 'not_found');
        expectProblem(await bob.api.request('PUT', path('not-a-uuid', message.message_id)), 400, 'invalid_request');
        expectProblem(await bob.api.request('PUT', path(conversation.id, 'not-a-uuid')), 400, 'invalid_request');
        expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        expectProblem(await bob.api.request('PUT', path(conversation.id, message.message_id)), 403, 'not_member');
      });

      it('answers 404 not_found for a message of another conversation, even one the caller can see', async () => {
        const { conversation } = await arrange();
        const other = await createConversation(alice, [bob]);
        const elsewhere = await sendMessage(alice, other.id, 'not here');
        expectProblem(await bob.api.request('PUT', path(conversation.id, elsewhere.message_id)), 404, 'not_found');
        expectProblem(await bob.api.request('DELETE', path(conversation.id, elsewhere.message_id)), 404, 'not_found');
      });

      it('answers 409 message_deleted for a deleted message', async () => {
        const { conversation, message, pins } = await arrange();
        expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expectProblem(await bob.api.request('PUT', path(conversation.id, message.message_id)), 409, 'message_deleted');
        expect(await pins()).toEqual([]);
      });
    });

    describe('DELETE /conversations/{id}/pins/{message_id}', () => {
      it('answers 204 and unpins whoever pinned it; a repeat, or a message never pinned, answers 204 and changes nothing', async () => {
        const { conversation, message, lastEventSeq, pins } = await arrange();
        const other = await sendMessage(bob, conversation.id, 'never pinned');
        await alice.api.request('PUT', path(conversation.id, message.message_id));
        const before = await lastEventSeq();
        expect((await bob.api.request('DELETE', path(conversation.id, message.message_id))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect((await bob.api.request('DELETE', path(conversation.id, message.message_id))).status).toBe(204);
        expect((await bob.api.request('DELETE', path(conversation.id, other.message_id))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before + 1);
        expect(await pins()).toEqual([]);
      });

      it('answers 204 for a deleted message, whose delete removed its pin', async () => {
        const { conversation, message, lastEventSeq, pins } = await arrange();
        await bob.api.request('PUT', path(conversation.id, message.message_id));
        expect(await pins()).toHaveLength(1);
        expect((await alice.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
        expect(await pins()).toEqual([]);
        const before = await lastEventSeq();
        expect((await bob.api.request('DELETE', path(conversation.id, message.message_id))).status).toBe(204);
        expect(await lastEventSeq()).toBe(before);
      });

      it('answers 403 not_member to a non-member and a former member, 404 for an unknown conversation or message, 400 for malformed ids', async () => {
        const { conversation, message } = await arrange();
        await alice.api.request('PUT', path(conversation.id, message.message_id));
        expectProblem(await outsider.api.request('DELETE', path(conversation.id, message.message_id)), 403, 'not_member');
        expectProblem(await bob.api.request('DELETE', path(randomUUID(), message.message_id)), 404, 'not_found');
        expectProblem(await bob.api.request('DELETE', path(conversation.id, randomUUID())), 404, 'not_found');
        expectProblem(await bob.api.request('DELETE', path(conversation.id, 'nope')), 400, 'invalid_request');
        expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        expectProblem(await bob.api.request('DELETE', path(conversation.id, message.message_id)), 403, 'not_member');
        expect((await alice.api.get(`/conversations/${conversation.id}/pins`)).body.pins).toHaveLength(1);
      });
    });

    describe('GET /conversations/{id}/pins', () => {
      it('answers 200 with an empty list when nothing is pinned', async () => {
        const { conversation } = await arrange();
        const response = await bob.api.get(`/conversations/${conversation.id}/pins`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ pins: [] });
      });

      it('answers 403 not_member to a non-member and a former member, 404 for an unknown conversation, 400 for a malformed id', async () => {
        const { conversation } = await arrange();
        expectProblem(await outsider.api.get(`/conversations/${conversation.id}/pins`), 403, 'not_member');
        expectProblem(await bob.api.get(`/conversations/${randomUUID()}/pins`), 404, 'not_found');
        expectProblem(await bob.api.get('/conversations/nope/pins'), 400, 'invalid_request');
        expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        expectProblem(await bob.api.get(`/conversations/${conversation.id}/pins`), 403, 'not_member');
      });
    });
  });
}
