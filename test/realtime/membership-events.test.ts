import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { currentUserSeq } from '../helpers/user-seq.js';
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
      const [aliceSeq, bobSeq, carolSeq] = await Promise.all([alice, bob, carol].map(currentUserSeq));
      const conversation = await createConversation(alice, [bob, carol], 'Trip');
      // The conversation's creation (event 1, user_id null); for each member, a conversation joined (their next user_seq).
      const expected = { type: 'member.added', conversation_id: conversation.id, event_seq: 1, user_id: null, conversation };
      for (const [socket, userSeq] of [[alice1, aliceSeq], [alice2, aliceSeq], [bob1, bobSeq], [carol1, carolSeq]] as const) {
        expect(await socket.waitFor(addedTo(conversation.id))).toEqual({ ...expected, user_seq: userSeq! + 1 });
      }
      expect(conversation.last_event_seq).toBe(1);
      expect(conversation.members.map((m) => m.user_id).sort()).toEqual([alice.user.id, bob.user.id, carol.user.id].sort());
      await dave1.expectNone((f) => f.type === 'member.added');
    });

    it('adding a member sends member.added with the updated Conversation to the members and the new member', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [aliceSocket, bobSocket, carolSocket, daveSocket] = await Promise.all([open(alice), open(bob), open(carol), open(dave)]);
      const carolSeq = await currentUserSeq(carol);
      const added = await bob.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id });
      expect(added.status).toBe(201);
      const current = (await alice.api.get(`/conversations/${conversation.id}`)).body;
      expect(current.last_event_seq).toBe(2);
      // Event 2; only carol's own connections get her next user_seq (a conversation joined).
      const expected = { type: 'member.added', conversation_id: conversation.id, event_seq: 2, user_id: carol.user.id, conversation: current };
      for (const [socket, userSeq] of [[aliceSocket, undefined], [bobSocket, undefined], [carolSocket, carolSeq + 1]] as const) {
        const frame = await socket.waitFor(addedTo(conversation.id));
        expect(frame).toEqual(userSeq === undefined ? expected : { ...expected, user_seq: userSeq });
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
      // Nor takes an event_seq: the conversation is still at its creation.
      expect((await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq).toBe(1);
    });

    it('the new member then receives the conversation messages', async () => {
      const conversation = await createConversation(alice, [bob]);
      const carolSocket = await open(carol);
      await alice.api.post(`/conversations/${conversation.id}/members`, { user_id: carol.user.id });
      await carolSocket.waitFor(addedTo(conversation.id));
      const message = await sendMessage(bob, conversation.id, 'welcome carol');
      // Events: 1 created, 2 carol added, 3 the message.
      expect(message.version).toBe(3);
      expect(await carolSocket.waitFor((f) => f.type === 'message' && f.message.message_id === message.message_id)).toEqual({
        type: 'message',
        conversation_id: conversation.id,
        event_seq: 3,
        message,
      });
    });

    it('removing a member sends member.removed to the remaining members and to the removed user', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const [aliceSocket, bobSocket, bobPhone, carolSocket, daveSocket] = await Promise.all([open(alice), open(bob), open(bob), open(carol), open(dave)]);
      const bobSeq = await currentUserSeq(bob);
      expect((await alice.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      // Event 2; bob's own connections also get his next user_seq (a conversation left).
      const expected = { type: 'member.removed', conversation_id: conversation.id, event_seq: 2, user_id: bob.user.id };
      for (const socket of [aliceSocket, carolSocket]) expect(await socket.waitFor(removedFrom(conversation.id))).toEqual(expected);
      for (const socket of [bobSocket, bobPhone]) expect(await socket.waitFor(removedFrom(conversation.id))).toEqual({ ...expected, user_seq: bobSeq + 1 });
      await daveSocket.expectNone((f) => f.type === 'member.removed');
    });

    it('leaving (removing yourself) tells the others and yourself', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [aliceSocket, bobSocket] = await Promise.all([open(alice), open(bob)]);
      const bobSeq = await currentUserSeq(bob);
      expect((await bob.api.delete(`/conversations/${conversation.id}/members/${bob.user.id}`)).status).toBe(204);
      const expected = { type: 'member.removed', conversation_id: conversation.id, event_seq: 2, user_id: bob.user.id };
      expect(await aliceSocket.waitFor(removedFrom(conversation.id))).toEqual(expected);
      expect(await bobSocket.waitFor(removedFrom(conversation.id))).toEqual({ ...expected, user_seq: bobSeq + 1 });
      // A plain member leaving hands no ownership on: the conversation is at event 2.
      expect((await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq).toBe(2);
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
      expect((await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq).toBe(1);
    });
  });
}
