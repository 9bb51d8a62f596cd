/**
 * Attaching uploads to messages and who may read them: the attachment in every payload (send
 * answer, history, a member's live frame) with signed links that work without a token; reads by
 * members, a former member, a non-member and the uploader before attaching; someone else's
 * upload refused; idempotency covering attachments; a message of attachments only; deleting the
 * message taking them away.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUsers, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { download, sha256, uploaded } from '../helpers/uploads.js';
import { TestSocket } from '../helpers/ws-client.js';
import { imageBytes } from './image-samples.js';

for (const dialect of enabledDialects()) {
  describe(`attachments [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    let outsider: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob, carol, outsider] = await registerUsers(server.url, 'alice', 'bob', 'carol', 'outsider');
    });
    afterAll(() => server.close());

    const send = (user: TestUser, conversationId: string, body: Record<string, unknown>) =>
      user.api.post(`/conversations/${conversationId}/messages`, { message_id: randomUUID(), ...body });

    it('carries the attachment in the send answer, history and a member\'s live frame, with signed links that need no token', async () => {
      const conversation = await createConversation(alice, [bob]);
      const socket = await TestSocket.open(server.wsUrl, { token: bob.token });
      const png = await imageBytes('png', 80, 60);
      const file = await uploaded(alice.api, png, 'chart.png');
      const sent = await send(alice, conversation.id, { content: 'the chart', attachments: [file.id] });
      expect(sent.status).toBe(201);
      const [attachment] = sent.body.attachments;
      expect(attachment).toMatchObject({ id: file.id, filename: 'chart.png', content_type: 'image/png', size: png.length, sha256: sha256(png), width: 80, height: 60 });
      expect(Object.keys(attachment).sort()).toEqual(['content_type', 'filename', 'height', 'id', 'sha256', 'size', 'thumbnail_height', 'thumbnail_url', 'thumbnail_width', 'url', 'width']);
      const frame = await socket.waitFor((f) => f.type === 'message' && f.message.message_id === sent.body.message_id);
      socket.close();
      const history = (await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages;
      for (const seen of [frame.message.attachments[0], history.at(-1).attachments[0]]) {
        expect(seen).toMatchObject({ id: file.id, sha256: sha256(png) });
        const bytes = await download(server.url, seen.url);
        expect(bytes.status).toBe(200);
        expect(sha256(bytes.bytes)).toBe(sha256(png));
        expect(bytes.headers.get('content-type')).toBe('image/png');
        const thumbnail = await download(server.url, seen.thumbnail_url);
        expect(thumbnail.status).toBe(200);
        expect(thumbnail.headers.get('content-type')).toBe('image/webp');
      }
      expect((await alice.api.get(`/uploads/${file.id}`)).body.attached).toBe(true);
    });

    it('lets members read an attached upload with their token, and answers a former member, an outsider and a stranger 404 even with a valid link', async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const file = await uploaded(alice.api, 'secret plans', 'plans.txt');
      const sent = await send(alice, conversation.id, { content: '', attachments: [file.id] });
      expect(sent.status).toBe(201);
      expect((await carol.api.delete(`/conversations/${conversation.id}/members/${carol.user.id}`)).status).toBe(204);
      const link = sent.body.attachments[0].url as string;
      for (const member of [alice, bob]) {
        expect((await download(server.url, link, { authorization: `Bearer ${member.token}` })).bytes.toString()).toBe('secret plans');
        expect((await member.api.get(`/uploads/${file.id}`)).status).toBe(200);
      }
      for (const other of [carol, outsider]) {
        expect((await download(server.url, link, { authorization: `Bearer ${other.token}` })).status).toBe(404);
        expect((await download(server.url, `/uploads/${file.id}/content`, { authorization: `Bearer ${other.token}` })).status).toBe(404);
        expectProblem(await other.api.get(`/uploads/${file.id}`), 404, 'not_found');
      }
      // Someone who joins a conversation where it is attached, after the send, reads it too.
      const later = await createConversation(alice, []);
      await send(alice, later.id, { content: 'again', attachments: [file.id] });
      expect((await alice.api.post(`/conversations/${later.id}/members`, { user_id: outsider.user.id })).status).toBe(201);
      expect((await outsider.api.get(`/uploads/${file.id}`)).status).toBe(200);
    });

    it("refuses someone else's upload, an unknown id and a duplicate id, storing nothing", async () => {
      const conversation = await createConversation(alice, [bob]);
      const bobs = await uploaded(bob.api, 'bob owns this', 'b.txt');
      const mine = await uploaded(alice.api, 'mine', 'a.txt');
      const refused = await send(alice, conversation.id, { content: 'x', attachments: [mine.id, bobs.id] });
      expectProblem(refused, 404, 'upload_not_found');
      expect(refused.body.errors).toEqual([{ pointer: '/attachments/1', detail: expect.any(String) }]);
      expectProblem(await send(alice, conversation.id, { content: 'x', attachments: [randomUUID()] }), 404, 'upload_not_found');
      expectProblem(await send(alice, conversation.id, { content: 'x', attachments: [mine.id, mine.id] }), 400, 'invalid_request');
      expectProblem(await send(alice, conversation.id, { content: 'x', attachments: Array.from({ length: 11 }, () => mine.id) }), 400, 'invalid_request');
      expect((await alice.api.get(`/conversations/${conversation.id}`)).body.last_seq).toBe(0);
      expect((await alice.api.get(`/uploads/${mine.id}`)).body.attached).toBe(false);
    });

    it('accepts a message of attachments only, and refuses one with neither content nor attachments at /content', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'a', 'a.txt');
      const noContent = await send(alice, conversation.id, { content: '', attachments: [file.id] });
      expect(noContent.status).toBe(201);
      expect(noContent.body).toMatchObject({ content: '', attachments: [{ id: file.id }] });
      // content stays required, as in the v1 contract: "" is the way to send attachments only.
      for (const body of [{ attachments: [file.id] }, { content: '' }, { content: '', attachments: [] }]) {
        const refused = await send(alice, conversation.id, body);
        expectProblem(refused, 400, 'invalid_request');
        expect(refused.body.errors).toEqual([{ pointer: '/content', detail: expect.any(String) }]);
      }
    });

    it('answers a repeated send with the same attachments 200, and with other attachments 409 message_id_conflict', async () => {
      const conversation = await createConversation(alice, [bob]);
      const [one, two] = [await uploaded(alice.api, '1', '1.txt'), await uploaded(alice.api, '2', '2.txt')];
      const body = { message_id: randomUUID(), content: 'files', attachments: [one.id, two.id] };
      expect((await alice.api.post(`/conversations/${conversation.id}/messages`, body)).status).toBe(201);
      const again = await alice.api.post(`/conversations/${conversation.id}/messages`, body);
      expect(again.status).toBe(200);
      expect(again.body.attachments.map((a: { id: string }) => a.id)).toEqual([one.id, two.id]);
      expectProblem(await alice.api.post(`/conversations/${conversation.id}/messages`, { ...body, attachments: [two.id, one.id] }), 409, 'message_id_conflict');
      expectProblem(await alice.api.post(`/conversations/${conversation.id}/messages`, { ...body, attachments: [] }), 409, 'message_id_conflict');
    });

    it('sends attachments over the socket, acked with them', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'over ws', 'ws.txt');
      const socket = await TestSocket.open(server.wsUrl, { token: alice.token });
      const messageId = randomUUID();
      socket.send({ type: 'message', message_id: messageId, conversation_id: conversation.id, content: '', attachments: [file.id] });
      const ack = await socket.waitFor((f) => f.type === 'ack' && f.message_id === messageId);
      expect(ack.message.attachments[0]).toMatchObject({ id: file.id, filename: 'ws.txt' });
      expect(ack.message.attachments[0].url).toMatch(/signature=/);
      socket.send({ type: 'message', message_id: randomUUID(), conversation_id: conversation.id, content: '', attachments: [randomUUID()] });
      expect(await socket.waitFor((f) => f.type === 'error')).toMatchObject({ code: 'upload_not_found' });
      socket.close();
    });

    it('carries signed attachments wherever a message is read: the change feed, search, pins, the conversation list', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'everywhere', 'e.txt');
      const sent = await send(alice, conversation.id, { content: 'zanzibarfile report', attachments: [file.id] });
      expect((await bob.api.request('PUT', `/conversations/${conversation.id}/pins/${sent.body.message_id}`)).status).toBe(204);
      const events = (await bob.api.get(`/conversations/${conversation.id}/events?after=0`)).body.events as { type: string; message?: { attachments: unknown[] } }[];
      const listed = (await bob.api.get('/conversations')).body.conversations.find((c: { id: string }) => c.id === conversation.id);
      const seen = [
        events.find((e) => e.type === 'message.created')!.message!.attachments[0],
        (await bob.api.get(`/conversations/${conversation.id}/pins`)).body.pins[0].message.attachments[0],
        listed.last_message.attachments[0],
      ];
      await expect
        .poll(async () => (await bob.api.get('/search/messages?q=zanzibarfile')).body.results?.[0]?.message?.attachments?.[0]?.id, { timeout: 5000 })
        .toBe(file.id);
      seen.push((await bob.api.get('/search/messages?q=zanzibarfile')).body.results[0].message.attachments[0]);
      for (const attachment of seen) {
        expect(attachment).toMatchObject({ id: file.id, filename: 'e.txt' });
        expect((await download(server.url, (attachment as { url: string }).url)).bytes.toString()).toBe('everywhere');
      }
    });

    it('takes the attachments away with a deleted message: its payload has none, and members can no longer read them', async () => {
      const conversation = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'gone soon', 'g.txt');
      const sent = await send(alice, conversation.id, { content: 'x', attachments: [file.id] });
      expect((await alice.api.delete(`/messages/${sent.body.message_id}`)).status).toBe(204);
      const history = (await bob.api.get(`/conversations/${conversation.id}/messages`)).body.messages;
      expect(history.at(-1)).toMatchObject({ deleted: true, attachments: [] });
      expect((await download(server.url, `/uploads/${file.id}/content`, { authorization: `Bearer ${bob.token}` })).status).toBe(404);
      expect((await download(server.url, sent.body.attachments[0].url)).status).toBe(404);
    });
  });
}
