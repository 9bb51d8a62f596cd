/**
 * GET /conversations/{id}/events and PATCH /conversations/{id}: every change to a conversation
 * is an event with the next event_seq, served with the current state of what it changed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`GET /conversations/{id}/events [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol, dave] = await registerUsers(server.url, 'alice', 'bob', 'carol', 'dave');
    });
    afterAll(async () => {
      await server.close();
    });

    const events = async (user: TestUser, conversationId: string, query = '') => {
      const response = await user.api.get(`/conversations/${conversationId}/events${query}`);
      expect(response.status).toBe(200);
      return response.body as { events: any[]; has_more: boolean; last_event_seq: number };
    };

    it('numbers every kind of change 1, 2, 3, … and serves each with the current state of what it changed', async () => {
      const conversation = await createConversation(alice, [bob], 'Plans');
      expect(conversation.last_event_seq).toBe(1);
      const first = await sendMessage(bob, conversation.id, 'first');
      expect(first.version).toBe(2);
      const second = await sendMessage(alice, conversation.id, 'second');
      expect((await bob.api.patch(`/messages/${first.message_id}`, { content: 'first, edited' })).body.version).toBe(4);
      expect((await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id })).status).toBe(201);
      expect((await alice.api.patch(`/conversations/${conversation.id}`, { title: 'Better plans' })).status).toBe(200);
      expect((await alice.api.delete(`/messages/${second.message_id}`)).status).toBe(204);
      expect((await carol.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`)).status).toBe(204);

      const page = await events(alice, conversation.id);
      expect(page.has_more).toBe(false);
      expect(page.last_event_seq).toBe(8);
      expect(page.events.map((e) => [e.event_seq, e.type])).toEqual([
        [1, 'conversation.created'],
        [2, 'message.created'],
        [3, 'message.created'],
        [4, 'message.edited'],
        [5, 'member.added'],
        [6, 'conversation.updated'],
        [7, 'message.deleted'],
        [8, 'member.removed'],
      ]);
      for (const event of page.events) {
        expect(event.conversation_id).toBe(conversation.id);
        expect(Date.parse(event.created_at)).toBeGreaterThan(0);
      }
      // Current state: the first message as edited, the second deleted, in every event about them.
      expect(page.events[1].message).toMatchObject({ message_id: first.message_id, content: 'first, edited', version: 4, seq: 1 });
      expect(page.events[3].message).toEqual(page.events[1].message);
      expect(page.events[2].message).toMatchObject({ message_id: second.message_id, content: '', deleted: true, version: 7, seq: 2 });
      expect(page.events[0].conversation).toMatchObject({ id: conversation.id, title: 'Better plans', last_event_seq: 8 });
      // Carol joined, then left: her member events say she is no longer a member.
      expect(page.events[4]).toMatchObject({ type: 'member.added', user_id: carol.user.id, member: null, actor_id: alice.user.id });
      expect(page.events[7]).toMatchObject({ type: 'member.removed', user_id: carol.user.id, member: null, actor_id: carol.user.id });
      expect(page.events[3].actor_id).toBe(bob.user.id);
    });

    it('pages with after and limit, and answers an empty page past the end', async () => {
      const conversation = await createConversation(alice, [bob]);
      for (let i = 0; i < 5; i++) await sendMessage(alice, conversation.id, `m${i}`);
      const page1 = await events(bob, conversation.id, '?limit=2');
      expect(page1.events.map((e) => e.event_seq)).toEqual([1, 2]);
      expect(page1.has_more).toBe(true);
      expect(page1.last_event_seq).toBe(6);
      const page2 = await events(bob, conversation.id, '?after=2&limit=3');
      expect(page2.events.map((e) => e.event_seq)).toEqual([3, 4, 5]);
      expect(page2.has_more).toBe(true);
      const page3 = await events(bob, conversation.id, '?after=5&limit=3');
      expect(page3.events.map((e) => e.event_seq)).toEqual([6]);
      expect(page3.has_more).toBe(false);
      for (const after of [6, 7, 1_000_000, 2 ** 31, 2 ** 40]) {
        expect(await events(bob, conversation.id, `?after=${after}`)).toEqual({ events: [], has_more: false, last_event_seq: 6 });
      }
    });

    it('refuses bad positions and limits with 400, non-members with 403 and unknown conversations with 404', async () => {
      const conversation = await createConversation(alice, [bob]);
      for (const query of ['?after=-1', '?after=x', '?limit=0', '?limit=501', '?after=1.5']) {
        expectProblem(await bob.api.get(`/conversations/${conversation.id}/events${query}`), 400, 'invalid_request');
      }
      expectProblem(await dave.api.get(`/conversations/${conversation.id}/events`), 403, 'not_member');
      expectProblem(await dave.api.get(`/conversations/${randomUUID()}/events`), 404, 'not_found');
      expectProblem(await dave.api.get(`/conversations/not-a-uuid/events`), 400, 'invalid_request');
      expectProblem(await bob.api.as(null).get(`/conversations/${conversation.id}/events`), 401, 'unauthorized');
    });

    it('when the last owner leaves, the member who becomes owner is announced as member.updated', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${alice.user.id}`)).status).toBe(204);
      const live = (await bob.api.get(`/conversations/${conversation.id}`)).body;
      const owner = live.members.find((m: { role: string }) => m.role === 'owner');
      expect(live.last_event_seq).toBe(3);
      const page = await events(bob, conversation.id);
      expect(page.events.map((e) => e.type)).toEqual(['conversation.created', 'member.removed', 'member.updated']);
      expect(page.events[2]).toEqual({
        event_seq: 3,
        type: 'member.updated',
        conversation_id: conversation.id,
        actor_id: null,
        created_at: page.events[1].created_at,
        user_id: owner.user_id,
        member: owner,
      });
    });
  });

  describe(`PATCH /conversations/{id} [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let dave: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, dave] = await registerUsers(server.url, 'alice', 'bob', 'dave');
    });
    afterAll(async () => {
      await server.close();
    });

    it('renames for an owner, answering the Conversation; the same title again changes nothing', async () => {
      const conversation = await createConversation(alice, [bob], 'Old');
      const renamed = await alice.api.patch(`/conversations/${conversation.id}`, { title: 'New' });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ id: conversation.id, title: 'New', last_event_seq: 2 });
      expect((await bob.api.get(`/conversations/${conversation.id}`)).body.title).toBe('New');
      const again = await alice.api.patch(`/conversations/${conversation.id}`, { title: 'New' });
      expect(again.status).toBe(200);
      expect(again.body.last_event_seq).toBe(2);
    });

    it('refuses members who are not owners (not_owner), non-members, bad titles and unknown ids', async () => {
      const conversation = await createConversation(alice, [bob], 'Old');
      expectProblem(await bob.api.patch(`/conversations/${conversation.id}`, { title: 'Mine' }), 403, 'not_owner');
      expectProblem(await dave.api.patch(`/conversations/${conversation.id}`, { title: 'Mine' }), 403, 'not_member');
      expectProblem(await dave.api.patch(`/conversations/${randomUUID()}`, { title: 'Mine' }), 404, 'not_found');
      for (const body of [{}, { title: '' }, { title: 'x'.repeat(201) }, { title: 5 }, { title: null }]) {
        expectProblem(await alice.api.patch(`/conversations/${conversation.id}`, body), 400, 'invalid_request');
      }
      expect((await bob.api.get(`/conversations/${conversation.id}`)).body.title).toBe('Old');
    });
  });
}
