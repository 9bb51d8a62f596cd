import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const addedTo = (conversationId: string) => (f: Frame) => f.type === 'member.added' && f.conversation.id === conversationId;
const removedFrom = (conversationId: string) => (f: Frame) => f.type === 'member.removed' && f.conversation_id === conversationId;

for (const dialect of enabledDialects()) {
  describe(`membership events [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let dave: TestUser;
    const pool = socketPool(() => server.wsUrl);
    const open = (user: TestUser) => pool.open(user);
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol, dave] = await registerUsers(server.url, 'alice', 'bob', 'carol', 'dave');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    it('POST /conversations sends member.added with the Conversation to every connection of each member', async () => {
      const [alice1, alice2, bob1, carol1, dave1] = await Promise.all([open(alice), open(alice), open(bob), open(carol), open(dave)]);
      const conversation = await createConversation(alice, [bob, carol], 'Trip');
      for (const socket of [alice1, alice2, bob1, carol1]) {
        expect(await socket.waitFor(addedTo(conversation.id))).toEqual({ type: 'member.added', conversation });
      }
      expect(conversation.members.map((m) => m.user_id).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
      await dave1.expectNone((f) => f.type === 'member.added');
    });

    it('adding a member sends member.added with the updated Conversation to the members and the new member', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [aliceSocket, bobSocket, carolSocket, daveSocket] = await Promise.all([open(alice), open(bob), open(carol), open(dave)]);
      const added = await bob.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id });
      expect(added.status).toBe(201);
      const current = (await alice.api.get(`/conversations/${conversation.id}`)).body;
      for (const socket of [aliceSocket, bobSocket, carolSocket]) {
        const frame = await socket.waitFor(addedTo(conversation.id));
        expect(frame).toEqual({ type: 'member.added', conversation: current });
        expect(frame.conversation.members.map((m: { user_id: string }) => m.user_id)).toContain(carol.user.id);
      }
      await daveSocket.expectNone((f) => f.type === 'member.added');
    });

    it('adding someone who is already a member sends no event', async () => {
      const conversation = await createConversation(alice, [bob]);
      const bobSocket = await open(bob);
      const again = await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: bob.user.id });
      expect(again.status).toBe(200);
      await bobSocket.expectNone(addedTo(conversation.id));
    });

    it('the new member then receives the conversation messages', async () => {
      const conversation = await createConversation(alice, [bob]);
      const carolSocket = await open(carol);
      await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id });
      await carolSocket.waitFor(addedTo(conversation.id));
      const message = await sendMessage(bob, conversation.id, 'welcome carol');
      expect(await carolSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id)).toEqual({ type: 'message', message });
    });

    it('removing a member sends member.removed to the remaining members and to the removed user', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const [aliceSocket, bobSocket, bobPhone, carolSocket, daveSocket] = await Promise.all([open(alice), open(bob), open(bob), open(carol), open(dave)]);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      const expected = { type: 'member.removed', conversation_id: conversation.id, user_id: bob.user.id };
      for (const socket of [aliceSocket, bobSocket, bobPhone, carolSocket]) expect(await socket.waitFor(removedFrom(conversation.id))).toEqual(expected);
      await daveSocket.expectNone((f) => f.type === 'member.removed');
    });

    it('leaving (removing yourself) tells the others and yourself', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
      expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      const expected = { type: 'member.removed', conversation_id: conversation.id, user_id: bob.user.id };
      expect(await aliceSocket.waitFor(removedFrom(conversation.id))).toEqual(expected);
      expect(await bobSocket.waitFor(removedFrom(conversation.id))).toEqual(expected);
    });

    it('after removal, the removed user gets no further events of that conversation and may not send to it', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const [aliceSocket, bobSocket, carolSocket] = await Promise.all([open(alice), open(bob), open(carol)]);
      await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`);
      await bobSocket.waitFor(removedFrom(conversation.id));
      const message = await sendMessage(alice, conversation.id, 'bob is gone');
      await carolSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id);
      carolSocket.send({ type: 'typing', conversation_id: conversation.id });
      await alice.api.patch(`/messages/${message.message_id}`, { content: 'bob is gone (edited)' });
      await aliceSocket.waitFor((f) => f.type === 'message.updated' && f.message.message_id === message.message_id);
      await bobSocket.expectNone((f) => f.type === 'message' || f.type === 'message.updated' || f.type === 'typing');
      const id = randomUUID();
      expect(await bobSocket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'let me back' }, (f) => f.type === 'error'))
        .toMatchObject({ code: 'not_member', ref: id });
    });

    it('a non-owner removing another member is refused with 403 not_owner and sends no event', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const carolSocket = await open(carol);
      const response = await bob.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`);
      expect(response.status).toBe(403);
      await carolSocket.expectNone(removedFrom(conversation.id));
    });
  });
}
