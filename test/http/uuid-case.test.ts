/**
 * Ids are case-insensitive on input (RFC 9562 §4) and canonical lower case on output: upper-case
 * UUIDs in paths, bodies and socket frames name the same things as lower-case ones, and every
 * answer carries them in lower case. Normalized once, at validation (see also
 * test/validation/schema-validator.test.ts for query strings).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createConversation, sendMessage } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { serverWithUsers } from '../helpers/suite.js';
import { currentUserSeq } from '../helpers/user-seq.js';
import { TestSocket } from '../helpers/ws-client.js';

const up = (id: string) => id.toUpperCase();

for (const dialect of enabledDialects()) {
  describe(`upper-case ids [${dialect}]`, () => {
    const t = serverWithUsers({ dialect }, 'alice', 'bob', 'carol');

    it('in path parameters: the same user, conversation and message, answered in lower case', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      const message = await sendMessage(t.alice, conversation.id, 'hello');
      const user = await t.alice.api.get(`/users/${up(t.bob.user.id)}`);
      expect(user.status).toBe(200);
      expect(user.body.id).toBe(t.bob.user.id);
      const got = await t.alice.api.get(`/conversations/${up(conversation.id)}`);
      expect(got.status).toBe(200);
      expect(got.body.id).toBe(conversation.id);
      const history = await t.alice.api.get(`/conversations/${up(conversation.id)}/messages`);
      expect(history.body.messages).toEqual([message]);
      const edited = await t.alice.api.patch(`/messages/${up(message.message_id)}`, { content: 'edited' });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ message_id: message.message_id, conversation_id: conversation.id, content: 'edited' });
      expect((await t.bob.api.post(`/conversations/${up(conversation.id)}/read`, { seq: 1 })).status).toBe(204);
      expect((await t.bob.api.delete(`/conversations/${up(conversation.id)}/members/${up(t.bob.user.id)}`)).status).toBe(204);
      expect((await t.bob.api.get(`/conversations/${conversation.id}`)).body.code).toBe('not_member');
    });

    it('in bodies: one member however the id is written, and the member answered in lower case', async () => {
      const created = await t.alice.api.post('/conversations', { title: 'caps', member_ids: [t.bob.user.id, up(t.bob.user.id)] });
      expect(created.status).toBe(201);
      expect(created.body.members.map((m: { user_id: string }) => m.user_id).sort()).toEqual([t.alice.user.id, t.bob.user.id].sort());
      const added = await t.alice.api.post(`/conversations/${up(created.body.id)}/members`, { user_id: up(t.carol.user.id) });
      expect(added.status).toBe(201);
      expect(added.body.user_id).toBe(t.carol.user.id);
      const again = await t.alice.api.post(`/conversations/${created.body.id}/members`, { user_id: t.carol.user.id });
      expect(again.status).toBe(200);
    });

    it('in a send: the same message_id in either case is one message, and sender_id matches the caller', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      const id = randomUUID();
      const first = await t.alice.api.post(`/conversations/${up(conversation.id)}/messages`, { message_id: up(id), content: 'once', sender_id: up(t.alice.user.id) });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ message_id: id, conversation_id: conversation.id, sender_id: t.alice.user.id });
      const repeat = await t.alice.api.post('/messages', { message_id: id, conversation_id: conversation.id, content: 'once' });
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(first.body);
    });

    it('in socket frames: join, message, read and typing answer and relay lower-case ids', async () => {
      const conversation = await createConversation(t.alice, [t.bob]);
      const [mine, theirs] = await Promise.all([TestSocket.open(t.server.wsUrl, { token: t.alice.token }), TestSocket.open(t.server.wsUrl, { token: t.bob.token })]);
      try {
        const joined = await mine.request({ type: 'join', conversation_id: up(conversation.id) }, (f) => f.type === 'joined');
        expect(joined).toEqual({ type: 'joined', conversation_id: conversation.id, last_seq: 0, last_event_seq: 1 });
        const id = randomUUID();
        const ack = await mine.request({ type: 'message', message_id: up(id), conversation_id: up(conversation.id), content: 'caps' }, (f) => f.type === 'ack');
        expect(ack.message_id).toBe(id);
        expect(ack.message).toMatchObject({ message_id: id, conversation_id: conversation.id, sender_id: t.alice.user.id });
        const delivered = await theirs.waitFor((f) => f.type === 'message' && f.message.message_id === id);
        expect(delivered).toEqual({ type: 'message', conversation_id: conversation.id, event_seq: 2, message: ack.message });
        mine.send({ type: 'typing', conversation_id: up(conversation.id) });
        expect(await theirs.waitFor((f) => f.type === 'typing')).toEqual({ type: 'typing', conversation_id: conversation.id, user_id: t.alice.user.id });
        const bobUserSeq = await currentUserSeq(t.bob);
        theirs.send({ type: 'read', conversation_id: up(conversation.id), seq: 1 });
        const read = { type: 'read', conversation_id: conversation.id, user_id: t.bob.user.id, seq: 1 };
        expect(await mine.waitFor((f) => f.type === 'read' && f.user_id === t.bob.user.id)).toEqual(read);
        expect(await theirs.waitFor((f) => f.type === 'read')).toEqual({ ...read, user_seq: bobUserSeq + 1 });
      } finally {
        mine.close();
        theirs.close();
      }
    });
  });
}
