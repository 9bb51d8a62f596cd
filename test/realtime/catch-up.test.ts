import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@pneumatic/protocol';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket, type Frame } from '../helpers/ws-client.js';

const MISSED = 120;

for (const dialect of enabledDialects()) {
  describe(`catching up after a disconnect [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
    });
    afterAll(() => server.close());

    it(`sees every one of ${MISSED} missed messages exactly once, in seq order, via GET ?after=<last seen seq>`, async () => {
      const conversation = await createConversation(alice, [bob, carol]);
      const isMessage = (f: Frame) => f.type === 'message' && f.message.conversation_id === conversation.id;

      // Bob is online for the first few messages and tracks the highest seq he has seen.
      let bobSocket = await TestSocket.open(server.wsUrl, { token: bob.token });
      for (let i = 0; i < 3; i++) await sendMessage(alice, conversation.id, `before ${i}`);
      const live = await bobSocket.waitForCount(isMessage, 3);
      const seen = new Map<string, Message>(live.map((f) => [f.message.message_id, f.message]));
      let lastSeenSeq = Math.max(...live.map((f) => f.message.seq as number));
      expect(lastSeenSeq).toBe(3);
      bobSocket.close();
      await bobSocket.waitForClose();

      // Others keep talking while he is away, over both transports.
      const [aliceSocket, carolSocket] = await Promise.all([
        TestSocket.open(server.wsUrl, { token: alice.token }),
        TestSocket.open(server.wsUrl, { token: carol.token }),
      ]);
      const sent: string[] = [];
      for (let i = 0; i < MISSED; i += 10) {
        const batch = Array.from({ length: 10 }, (_, j) => {
          const id = randomUUID();
          sent.push(id);
          const n = i + j;
          if (n % 3 === 0) return sendMessage(carol, conversation.id, `missed ${n}`, id);
          const socket = n % 3 === 1 ? aliceSocket : carolSocket;
          socket.send({ type: 'message', message_id: id, conversation_id: conversation.id, content: `missed ${n}` });
          return socket.waitFor((f) => f.type === 'ack' && f.message_id === id);
        });
        await Promise.all(batch);
      }

      // He reconnects, then pages through history from his last seen seq.
      bobSocket = await TestSocket.open(server.wsUrl, { token: bob.token });
      const caughtUp: Message[] = [];
      let pages = 0;
      for (;;) {
        const page = await bob.api.get<{ messages: Message[]; has_more: boolean }>(`/conversations/${conversation.id}/messages?after=${lastSeenSeq}&limit=50`);
        expect(page.status).toBe(200);
        pages += 1;
        for (const message of page.body.messages) {
          expect(seen.has(message.message_id)).toBe(false);
          seen.set(message.message_id, message);
          caughtUp.push(message);
        }
        if (page.body.messages.length > 0) lastSeenSeq = page.body.messages.at(-1)!.seq;
        if (!page.body.has_more) break;
      }
      expect(pages).toBe(3);
      expect(caughtUp.map((m) => m.seq)).toEqual(Array.from({ length: MISSED }, (_, i) => i + 4));
      expect(new Set(caughtUp.map((m) => m.message_id))).toEqual(new Set(sent));
      expect(seen.size).toBe(3 + MISSED);

      // And then continues live, with nothing replayed.
      const next = await sendMessage(alice, conversation.id, 'welcome back');
      const liveAgain = await bobSocket.waitFor(isMessage);
      expect(liveAgain.message).toEqual(next);
      expect(next.seq).toBe(lastSeenSeq + 1);
      expect(bobSocket.frames.filter(isMessage)).toHaveLength(1);
      for (const socket of [aliceSocket, carolSocket, bobSocket]) socket.close();
    });

    it('answers an empty page with has_more false when nothing was missed', async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'only');
      const page = await bob.api.get(`/conversations/${conversation.id}/messages?after=${message.seq}`);
      expect(page.status).toBe(200);
      expect(page.body).toEqual({ messages: [], has_more: false });
    });
  });
}
