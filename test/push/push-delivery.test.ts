/**
 * Pushes end to end (docs/API.md, "Web Push"): a real server on loopback pushes to the tests'
 * push service, which checks each VAPID token and decrypts each payload as a browser would.
 * An offline member gets exactly one push per notifying message, with the payload and headers
 * the API promises; the sender, a member looking at the conversation and settings that say no
 * get none; previews follow the recipient's setting; a conversation nobody subscribed in
 * queues nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_PREVIEW_MAX_CHARS } from '@pneumatic/protocol';
import type { SqlStore } from '../../src/store/store.js';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startPushService, type TestPushService } from '../helpers/push-service.js';
import { FakeRecipients, PUSH_TEST_ENV, quiet, subscribeBrowser } from '../helpers/push-world.js';
import { startServer, type TestServer } from '../helpers/server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

for (const dialect of enabledDialects()) {
  describe(`push delivery [${dialect}]`, () => {
    let service: TestPushService;
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let carol: TestUser;
    const recipients = new FakeRecipients();

    beforeAll(async () => {
      service = await startPushService();
      server = await startServer({ dialect, env: PUSH_TEST_ENV, pushRecipients: recipients });
      [alice, bob, carol] = await registerUsers(server.url, 'alice', 'bob', 'carol');
      service.expectedKey = (await alice.api.get('/push/vapid-public-key')).body.public_key;
    });
    afterAll(async () => {
      await server.close();
      await service.close();
    });

    it('pushes an offline member exactly one push per message, with the payload and headers of the API, and none to the sender', async () => {
      const bobs = await subscribeBrowser(bob, service);
      const alices = await subscribeBrowser(alice, service);
      const conversation = await createConversation(alice, [bob], 'Weekend plans');
      const sent = [];
      for (let i = 0; i < 5; i++) {
        const message = await sendMessage(alice, conversation.id, `message ${i}: see you at the station`);
        sent.push(message);
        await service.waitFor(() => service.deliveredTo(bobs.token).length === i + 1, 10_000, `bob's push ${i + 1}`);
      }
      await quiet(500);
      const pushes = service.deliveredTo(bobs.token);
      expect(pushes.map((p) => p.payload.message_id)).toEqual(sent.map((m) => m.message_id));
      expect(new Set(pushes.map((p) => p.payload.id)).size).toBe(5);
      expect(service.deliveredTo(alices.token)).toEqual([]);
      expect(service.problems).toEqual([]);
      const [first] = pushes;
      expect(first!.payload).toEqual({
        id: expect.stringMatching(UUID),
        type: 'message',
        conversation_id: conversation.id,
        conversation_title: 'Weekend plans',
        message_id: sent[0]!.message_id,
        seq: sent[0]!.seq,
        thread_root_id: null,
        sender: { id: alice.user.id, username: alice.user.username },
        preview: 'message 0: see you at the station',
        mention: false,
        sent_at: sent[0]!.created_at,
      });
      // A group of two is a direct conversation: high urgency. The Topic is the conversation's.
      expect(first!.headers).toEqual({ ttl: '86400', urgency: 'high', topic: conversation.id.replaceAll('-', ''), contentEncoding: 'aes128gcm' });
    });

    it('marks a mention (urgency high) and cuts a long preview; a group message without one is normal urgency', async () => {
      const carols = await subscribeBrowser(carol, service);
      const conversation = await createConversation(alice, [bob, carol], 'Three of us');
      await sendMessage(alice, conversation.id, 'plain');
      await service.waitFor(() => service.deliveredTo(carols.token).length === 1);
      await sendMessage(alice, conversation.id, `@${carol.user.username} ${'x'.repeat(300)}`);
      await service.waitFor(() => service.deliveredTo(carols.token).length === 2);
      const [plain, mention] = service.deliveredTo(carols.token);
      expect(plain!.headers.urgency).toBe('normal');
      expect(plain!.payload.mention).toBe(false);
      expect(mention!.headers.urgency).toBe('high');
      expect(mention!.payload.mention).toBe(true);
      expect(Array.from(mention!.payload.preview!)).toHaveLength(PUSH_PREVIEW_MAX_CHARS);
      expect(mention!.payload.preview!.endsWith('…')).toBe(true);
    });

    it("leaves the preview out for a member whose settings turn previews off", async () => {
      const [dave] = await registerUsers(server.url, 'dave');
      const daves = await subscribeBrowser(dave!, service);
      recipients.settings.set(dave!.user.id, { previews: false });
      const conversation = await createConversation(alice, [dave!]);
      await sendMessage(alice, conversation.id, 'a secret');
      await service.waitFor(() => service.deliveredTo(daves.token).length === 1);
      const [push] = service.deliveredTo(daves.token);
      expect(push!.payload).not.toHaveProperty('preview');
      expect(JSON.stringify(push!.payload)).not.toContain('a secret');
    });

    it('pushes nothing to a member looking at the conversation, or whose settings say this message does not notify them', async () => {
      const [erin, frank, grace] = await registerUsers(server.url, 'erin', 'frank', 'grace');
      const [erins, franks, graces] = [await subscribeBrowser(erin!, service), await subscribeBrowser(frank!, service), await subscribeBrowser(grace!, service)];
      const conversation = await createConversation(alice, [erin!, frank!, grace!, bob]);
      recipients.viewing.add(`${conversation.id} ${erin!.user.id}`);
      recipients.settings.set(frank!.user.id, { level: 'none' });
      recipients.settings.set(grace!.user.id, { level: 'mentions' });
      await sendMessage(alice, conversation.id, 'no mention');
      await sendMessage(alice, conversation.id, `hey @${grace!.user.username}`);
      // Bob (level all, not looking, subscribed in the first case) is the witness that both went out.
      const ofThis = () => service.delivered.filter((p) => p.payload.conversation_id === conversation.id);
      await service.waitFor(() => ofThis().filter((p) => p.payload.sender.id === alice.user.id && !p.payload.mention).length >= 1 && service.deliveredTo(graces.token).length === 1);
      await quiet(800);
      expect(service.deliveredTo(erins.token)).toEqual([]);
      expect(service.deliveredTo(franks.token)).toEqual([]);
      expect(service.deliveredTo(graces.token).map((p) => p.payload.preview)).toEqual([`hey @${grace!.user.username}`]);
    });

    it('queues nothing for a message in a conversation where nobody else has a subscription', async () => {
      const [heidi, ivan] = await registerUsers(server.url, 'heidi', 'ivan');
      await subscribeBrowser(heidi!, service);
      const conversation = await createConversation(heidi!, [ivan!]);
      const db = (server.app.pneumatic.store as SqlStore).opened.db;
      const queued = async () => Number((await sql<{ n: number }>`select count(*) as n from push_outbox o join messages m on m.message_id = o.message_id where m.conversation_id = ${conversation.id}`.execute(db)).rows[0]!.n);
      for (let i = 0; i < 5; i++) await sendMessage(heidi!, conversation.id, `to nobody ${i}`);
      expect(await queued()).toBe(0);
      const flags = await sql<{ user_id: string; push_subscribed: number }>`select user_id, push_subscribed from members where conversation_id = ${conversation.id}`.execute(db);
      expect(Object.fromEntries(flags.rows.map((r) => [r.user_id, Number(r.push_subscribed)]))).toEqual({ [heidi!.user.id]: 1, [ivan!.user.id]: 0 });
    });
  });
}
