/**
 * GET and PATCH /notification-settings, GET and PUT /conversations/{id}/notification-settings:
 * the built-in defaults, partial updates, how a mute's instant is stored (canonical, a past one
 * as not muted, "until unmuted" as MUTED_FOREVER), removal of an override, user_seq moving only
 * for a change, unread counts unaffected, and every refusal with its status and code.
 */
import { randomUUID } from 'node:crypto';
import { MUTED_FOREVER } from '@pneumatic/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { currentUserSeq } from '../helpers/user-seq.js';

const BUILT_IN = { level: 'all', mention_breaks_mute: true, previews: true };
const path = (conversationId: string) => `/conversations/${conversationId}/notification-settings`;

for (const dialect of enabledDialects()) {
  describe(`notification settings routes [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, outsider] = await registerUsers(server.url, 'alice', 'bob', 'outsider');
    });
    afterAll(() => server.close());

    const put = (user: TestUser, conversationId: string, body: unknown) => user.api.request('PUT', path(conversationId), { body });

    describe('GET and PATCH /notification-settings', () => {
      it('answers the built-in defaults and no conversations to a user who set nothing', async () => {
        const [fresh] = await registerUsers(server.url, 'fresh');
        const response = await fresh.api.get('/notification-settings');
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ defaults: BUILT_IN, conversations: [] });
      });

      it('changes only the defaults given, moving user_seq once per change and not for a repeat', async () => {
        const [user] = await registerUsers(server.url, 'patcher');
        const start = await currentUserSeq(user);
        const first = await user.api.patch('/notification-settings', { level: 'mentions' });
        expect(first.status).toBe(200);
        expect(first.body).toEqual({ ...BUILT_IN, level: 'mentions' });
        expect(await currentUserSeq(user)).toBe(start + 1);
        const second = await user.api.patch('/notification-settings', { previews: false, mention_breaks_mute: false });
        expect(second.body).toEqual({ level: 'mentions', mention_breaks_mute: false, previews: false });
        expect(await currentUserSeq(user)).toBe(start + 2);
        // The same values again, and an empty patch: 200 with the settings, nothing changed.
        expect((await user.api.patch('/notification-settings', { level: 'mentions', previews: false })).body).toEqual(second.body);
        expect((await user.api.patch('/notification-settings', {})).body).toEqual(second.body);
        expect(await currentUserSeq(user)).toBe(start + 2);
        expect((await user.api.get('/notification-settings')).body.defaults).toEqual(second.body);
        // Another user's are untouched.
        expect((await outsider.api.get('/notification-settings')).body.defaults).toEqual(BUILT_IN);
      });

      it('refuses a bad level, a non-boolean, null, an unknown field and a non-object with 400 naming the field', async () => {
        for (const [body, pointer] of [
          [{ level: 'loud' }, '/level'],
          [{ level: null }, '/level'],
          [{ previews: 'false' }, '/previews'],
          [{ mention_breaks_mute: 1 }, '/mention_breaks_mute'],
          [{ level: 'all', muted_until: null }, ''],
          [[], ''],
        ] as const) {
          const response = await alice.api.patch('/notification-settings', body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
        }
        expect((await alice.api.get('/notification-settings')).body.defaults).toEqual(BUILT_IN);
      });
    });

    describe('PUT and GET /conversations/{id}/notification-settings', () => {
      it('sets a level and a mute, lists the conversation, and answers the same on GET', async () => {
        const conversation = await createConversation(alice, [bob]);
        expect((await alice.api.get(path(conversation.id))).body).toEqual({ conversation_id: conversation.id, level: null, muted_until: null });
        const start = await currentUserSeq(alice);
        const until = new Date(Date.now() + 3_600_000).toISOString();
        const response = await put(alice, conversation.id, { level: 'mentions', muted_until: until });
        expect(response.status).toBe(200);
        expect(response.body).toEqual({ conversation_id: conversation.id, level: 'mentions', muted_until: until });
        expect(await currentUserSeq(alice)).toBe(start + 1);
        expect((await alice.api.get(path(conversation.id))).body).toEqual(response.body);
        expect((await alice.api.get('/notification-settings')).body.conversations).toEqual([response.body]);
        // A repeat changes nothing; bob's settings of the same conversation are his own.
        expect((await put(alice, conversation.id, { level: 'mentions', muted_until: until })).body).toEqual(response.body);
        expect(await currentUserSeq(alice)).toBe(start + 1);
        expect((await bob.api.get(path(conversation.id))).body).toEqual({ conversation_id: conversation.id, level: null, muted_until: null });
      });

      it('stores the mute canonical: UTC with milliseconds, a past instant as null, beyond the last instant as MUTED_FOREVER', async () => {
        const conversation = await createConversation(alice, []);
        const mute = async (muted_until: string) => (await put(alice, conversation.id, { level: null, muted_until })).body.muted_until;
        expect(await mute('9000-01-01T12:00:00+02:00')).toBe('9000-01-01T10:00:00.000Z');
        expect(await mute('2001-01-01T00:00:00Z')).toBeNull();
        expect(await mute(MUTED_FOREVER)).toBe(MUTED_FOREVER);
        expect(await mute('9999-12-31T23:59:59-05:00')).toBe(MUTED_FOREVER);
      });

      it('removes the override when both fields are null: the conversation is no longer listed', async () => {
        const conversation = await createConversation(alice, [bob]);
        await put(alice, conversation.id, { level: 'none', muted_until: null });
        expect((await alice.api.get('/notification-settings')).body.conversations).toContainEqual({ conversation_id: conversation.id, level: 'none', muted_until: null });
        const cleared = await put(alice, conversation.id, { level: null, muted_until: null });
        expect(cleared.body).toEqual({ conversation_id: conversation.id, level: null, muted_until: null });
        expect((await alice.api.get('/notification-settings')).body.conversations.map((c: { conversation_id: string }) => c.conversation_id)).not.toContain(conversation.id);
      });

      it('leaves unread counts and unread mentions as they are in a muted conversation set to none', async () => {
        const conversation = await createConversation(alice, [bob]);
        await put(bob, conversation.id, { level: 'none', muted_until: MUTED_FOREVER });
        await sendMessage(alice, conversation.id, 'plain');
        await sendMessage(alice, conversation.id, `@${bob.user.username} look`);
        const listed = (await bob.api.get('/conversations')).body.conversations.find((c: { id: string }) => c.id === conversation.id);
        expect(listed).toMatchObject({ unread_count: 2, unread_mentions: 1 });
      });

      it('refuses bad bodies with 400 naming the field, and changes nothing', async () => {
        const conversation = await createConversation(alice, []);
        for (const [body, pointer] of [
          [{ level: 'all' }, '/muted_until'],
          [{ muted_until: null }, '/level'],
          [{ level: 'loud', muted_until: null }, '/level'],
          [{ level: null, muted_until: 'tomorrow' }, '/muted_until'],
          [{ level: null, muted_until: '2030-01-01' }, '/muted_until'],
          [{ level: null, muted_until: 1893456000000 }, '/muted_until'],
          [{ level: null, muted_until: '2030-12-31T23:59:60Z' }, '/muted_until'],
          [{ level: null, muted_until: null, extra: true }, ''],
        ] as const) {
          const response = await put(alice, conversation.id, body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
        }
        expect((await alice.api.get(path(conversation.id))).body).toEqual({ conversation_id: conversation.id, level: null, muted_until: null });
        expectProblem(await put(alice, 'not-a-uuid', { level: null, muted_until: null }), 400, 'invalid_request');
      });

      it('answers 403 not_member to a non-member and 404 not_found for no such conversation, on GET and PUT', async () => {
        const conversation = await createConversation(alice, [bob]);
        expectProblem(await put(outsider, conversation.id, { level: 'none', muted_until: null }), 403, 'not_member');
        expectProblem(await outsider.api.get(path(conversation.id)), 403, 'not_member');
        const unknown = randomUUID();
        expectProblem(await put(alice, unknown, { level: 'none', muted_until: null }), 404, 'not_found');
        expectProblem(await alice.api.get(path(unknown)), 404, 'not_found');
        expect((await outsider.api.get('/notification-settings')).body.conversations).toEqual([]);
      });

      it("drops a member's override when they leave: 403 for the former member, and a fresh start when they join again", async () => {
        const conversation = await createConversation(alice, [bob]);
        await put(bob, conversation.id, { level: 'none', muted_until: MUTED_FOREVER });
        expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
        const listed = (await bob.api.get('/notification-settings')).body.conversations as { conversation_id: string }[];
        expect(listed.map((c) => c.conversation_id)).not.toContain(conversation.id);
        expectProblem(await put(bob, conversation.id, { level: 'all', muted_until: null }), 403, 'not_member');
        expectProblem(await bob.api.get(path(conversation.id)), 403, 'not_member');
        expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: bob.user.id })).status).toBe(201);
        expect((await bob.api.get(path(conversation.id))).body).toEqual({ conversation_id: conversation.id, level: null, muted_until: null });
      });
    });
  });
}
