import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '@pneumatic/protocol';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { currentUserSeq } from '../helpers/user-seq.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const isError = (f: Frame) => f.type === 'error';

for (const dialect of enabledDialects()) {
  describe(`WebSocket client frames [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let conversation: Conversation;
    const pool = socketPool(() => server.wsUrl);
    const open = (user: TestUser) => pool.open(user);
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
      conversation = await createConversation(alice, [bob]);
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    describe('join', () => {
      it('answers joined with the conversation last_seq', async () => {
        const socket = await open(bob);
        const empty = await createConversation(bob, [alice]);
        expect(await socket.request({ type: 'join', conversation_id: empty.id }, (f) => f.type === 'joined')).toEqual({
          type: 'joined',
          conversation_id: empty.id,
          last_seq: 0,
          last_event_seq: 1, // conversation.created
        });
        await sendMessage(alice, empty.id, 'one');
        await sendMessage(bob, empty.id, 'two');
        expect(await socket.request({ type: 'join', conversation_id: empty.id }, (f) => f.type === 'joined')).toEqual({
          type: 'joined',
          conversation_id: empty.id,
          last_seq: 2,
          last_event_seq: 3,
        });
      });

      it('accepts an upper-case conversation id and answers with the canonical one', async () => {
        const socket = await open(alice);
        const joined = await socket.request({ type: 'join', conversation_id: conversation.id.toUpperCase() }, (f) => f.type === 'joined' || isError(f));
        expect(joined).toMatchObject({ type: 'joined', conversation_id: conversation.id });
      });

      it('answers a non-member with an error frame not_member, ref null', async () => {
        const socket = await open(carol);
        expect(await socket.request({ type: 'join', conversation_id: conversation.id }, isError)).toEqual({
          type: 'error',
          code: 'not_member',
          detail: expect.any(String),
          ref: null,
        });
      });

      it('answers an unknown conversation with an error frame not_found', async () => {
        const socket = await open(alice);
        expect(await socket.request({ type: 'join', conversation_id: randomUUID() }, isError)).toMatchObject({ code: 'not_found', ref: null });
      });
    });

    describe('typing', () => {
      it("reaches every connection of the other members and none of the typist's own", async () => {
        const group = await createConversation(alice, [bob, carol]);
        const [typist, typistPhone, bob1, bob2, carol1] = await Promise.all([open(alice), open(alice), open(bob), open(bob), open(carol)]);
        typist.send({ type: 'typing', conversation_id: group.id });
        const expected = { type: 'typing', conversation_id: group.id, user_id: alice.user.id };
        for (const socket of [bob1, bob2, carol1]) expect(await socket.waitFor((f) => f.type === 'typing')).toEqual(expected);
        await Promise.all([typist.expectNone((f) => f.type === 'typing' || isError(f)), typistPhone.expectNone((f) => f.type === 'typing')]);
      });

      it('is not sent to non-members', async () => {
        const [typist, outsider] = await Promise.all([open(alice), open(carol)]);
        typist.send({ type: 'typing', conversation_id: conversation.id });
        await outsider.expectNone((f) => f.type === 'typing');
      });

      it('answers a non-member with an error frame not_member and relays nothing', async () => {
        const [outsider, bobSocket] = await Promise.all([open(carol), open(bob)]);
        expect(await outsider.request({ type: 'typing', conversation_id: conversation.id }, isError)).toMatchObject({ code: 'not_member', ref: null });
        await bobSocket.expectNone((f) => f.type === 'typing' && f.user_id === carol.user.id);
      });

      it('stores nothing: history and last_seq are unchanged', async () => {
        const before = (await alice.api.get(`/conversations/${conversation.id}`)).body.last_seq;
        const socket = await open(alice);
        socket.send({ type: 'typing', conversation_id: conversation.id });
        await socket.request({ type: 'ping' }, (f) => f.type === 'pong');
        expect((await alice.api.get(`/conversations/${conversation.id}`)).body.last_seq).toBe(before);
      });
    });

    describe('read', () => {
      it('moves last_read_seq like POST /read and sends a read event with the moved seq to every member', async () => {
        const chat = await createConversation(alice, [bob]);
        for (let i = 0; i < 3; i++) await sendMessage(alice, chat.id, `m${i}`);
        const [reader, readerPhone, aliceSocket, outsider] = await Promise.all([open(bob), open(bob), open(alice), open(carol)]);
        const bobUserSeq = await currentUserSeq(bob);
        reader.send({ type: 'read', conversation_id: chat.id, seq: 2 });
        const expected = { type: 'read', conversation_id: chat.id, user_id: bob.user.id, seq: 2 };
        expect(await aliceSocket.waitFor((f) => f.type === 'read')).toEqual(expected);
        // The reader's own connections also get the read's place among bob's user-scoped changes.
        for (const socket of [reader, readerPhone]) expect(await socket.waitFor((f) => f.type === 'read')).toEqual({ ...expected, user_seq: bobUserSeq + 1 });
        const member = (await bob.api.get(`/conversations/${chat.id}`)).body.members.find((m: { user_id: string }) => m.user_id === bob.user.id);
        expect(member.last_read_seq).toBe(2);
        await outsider.expectNone((f) => f.type === 'read');
      });

      it('sends no event and changes nothing for a lower or equal seq', async () => {
        const chat = await createConversation(alice, [bob]);
        for (let i = 0; i < 3; i++) await sendMessage(alice, chat.id, `m${i}`);
        const [reader, aliceSocket] = await Promise.all([open(bob), open(alice)]);
        const bobUserSeq = await currentUserSeq(bob);
        reader.send({ type: 'read', conversation_id: chat.id, seq: 3 });
        await aliceSocket.waitFor((f) => f.type === 'read' && f.seq === 3);
        reader.send({ type: 'read', conversation_id: chat.id, seq: 1 });
        reader.send({ type: 'read', conversation_id: chat.id, seq: 3 });
        await Promise.all([aliceSocket.expectNone((f) => f.type === 'read' && f.seq !== 3), reader.expectNone(isError)]);
        expect(aliceSocket.frames.filter((f) => f.type === 'read')).toHaveLength(1);
        const member = (await bob.api.get(`/conversations/${chat.id}`)).body.members.find((m: { user_id: string }) => m.user_id === bob.user.id);
        expect(member.last_read_seq).toBe(3);
        // Only the first read was a user-scoped change.
        expect(await currentUserSeq(bob)).toBe(bobUserSeq + 1);
      });

      it('counts a seq above last_seq as last_seq', async () => {
        const chat = await createConversation(alice, [bob]);
        await sendMessage(alice, chat.id, 'only one');
        const [reader, aliceSocket] = await Promise.all([open(bob), open(alice)]);
        reader.send({ type: 'read', conversation_id: chat.id, seq: 1000 });
        expect(await aliceSocket.waitFor((f) => f.type === 'read')).toMatchObject({ user_id: bob.user.id, seq: 1 });
      });

      it('agrees with POST /conversations/{id}/read: an HTTP read sends the same event', async () => {
        const chat = await createConversation(alice, [bob]);
        await sendMessage(alice, chat.id, 'a');
        await sendMessage(alice, chat.id, 'b');
        const aliceSocket = await open(alice);
        expect((await bob.api.post(`/conversations/${chat.id}/read`, { seq: 2 })).status).toBe(204);
        expect(await aliceSocket.waitFor((f) => f.type === 'read')).toEqual({ type: 'read', conversation_id: chat.id, user_id: bob.user.id, seq: 2 });
      });

      it('answers a non-member with not_member', async () => {
        const socket = await open(carol);
        expect(await socket.request({ type: 'read', conversation_id: conversation.id, seq: 1 }, isError)).toMatchObject({ code: 'not_member', ref: null });
      });
    });

    describe('error frames', () => {
      it('keep the connection open: a later ping still gets pong', async () => {
        const socket = await open(alice);
        for (const frame of ['not json', '[]', '{"type":"nope"}', '{"type":"join"}', JSON.stringify({ type: 'join', conversation_id: randomUUID() })]) {
          const seen = socket.frames.length;
          socket.send(frame);
          await socket.waitFor((f) => socket.frames.indexOf(f) >= seen && isError(f));
        }
        expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong')).toEqual({ type: 'pong' });
        expect(socket.closed).toBeNull();
      });

      it('carry the code of the refusal: invalid_json, unknown_type, invalid_request', async () => {
        const socket = await open(alice);
        expect(await socket.request('{"type":' as never, isError)).toMatchObject({ code: 'invalid_json', ref: null });
        expect(await socket.request({ type: 'subscribe' }, isError)).toMatchObject({ code: 'unknown_type', ref: null });
        expect(await socket.request({ type: 'read', conversation_id: conversation.id, seq: -1 }, isError)).toMatchObject({ code: 'invalid_request', ref: null });
      });

      it('answer a client over its frame budget with rate_limited, answer every frame, and keep the connection open', async () => {
        const socket = await open(alice);
        const burst = server.config.RATE_LIMIT_FRAMES_PER_SECOND + 50;
        for (let i = 0; i < burst; i++) socket.send({ type: 'ping' });
        const answers = await socket.waitForCount((f) => f.type === 'pong' || isError(f), burst);
        const limited = answers.filter(isError);
        expect(limited.length).toBeGreaterThan(0);
        for (const error of limited) expect(error).toEqual({ type: 'error', code: 'rate_limited', detail: expect.any(String), ref: null });
        expect(socket.closed).toBeNull();
        await new Promise((r) => setTimeout(r, 1100));
        expect(await socket.request({ type: 'ping' }, (f) => f.type === 'pong' || isError(f))).toEqual({ type: 'pong' });
      });

      it("set ref to the frame's message_id when it had one", async () => {
        const socket = await open(carol);
        const id = randomUUID();
        expect(await socket.request({ type: 'message', message_id: id, conversation_id: conversation.id, content: 'x' }, isError)).toMatchObject({
          code: 'not_member',
          ref: id,
        });
        const invalid = randomUUID();
        expect(await socket.request({ type: 'message', message_id: invalid, conversation_id: conversation.id, content: '' }, isError)).toMatchObject({
          code: 'invalid_request',
          ref: invalid,
        });
        const unknown = randomUUID();
        expect(await socket.request({ type: 'bogus', message_id: unknown }, isError)).toMatchObject({ code: 'unknown_type', ref: unknown });
      });

      it('set ref to null when the frame had no message_id (or not a string one)', async () => {
        const socket = await open(carol);
        expect(await socket.request({ type: 'typing', conversation_id: conversation.id }, isError)).toMatchObject({ ref: null });
        expect(await socket.request({ type: 'message', message_id: 42, conversation_id: conversation.id, content: 'x' }, isError)).toMatchObject({
          code: 'invalid_request',
          ref: null,
        });
      });
    });
  });
}
