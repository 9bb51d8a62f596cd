/**
 * Retention (docs/API.md, "Retention"): the job deletes exactly the messages older than their
 * conversation's effective period (the shorter of the server's and its own), with their
 * reactions, pins, attachments, mention marks and search entries, announces `messages.expired`
 * live and in the change feed, and leaves everything younger and every other conversation alone.
 * Messages are made old by moving their created_at back in the database.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlStore } from '../../src/store/store.js';
import { createConversation, expectProblem, registerNamed, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { uploaded } from '../helpers/uploads.js';
import { TestSocket } from '../helpers/ws-client.js';
import { waitUntil } from './retention-helpers.js';

const DAY_MS = 86_400_000;

for (const dialect of enabledDialects()) {
  describe(`retention [${dialect}]`, () => {
    let server: TestServer;
    let admin: TestUser;
    const db = () => (server.app.pneumatic.store as SqlStore).opened.db;
    /** Moves the conversation's messages up to `throughSeq` (and their events) `days` into the past. */
    const age = async (conversationId: string, throughSeq: number, days: number) => {
      const at = new Date(Date.now() - days * DAY_MS).toISOString();
      await db().updateTable('messages').set({ created_at: at }).where('conversation_id', '=', conversationId).where('seq', '<=', throughSeq).execute();
      await db().updateTable('conversation_events').set({ created_at: at }).where('conversation_id', '=', conversationId).where('event_seq', '<=', throughSeq + 1).execute();
    };
    const seqs = async (user: TestUser, conversationId: string) =>
      ((await user.api.get(`/conversations/${conversationId}/messages?limit=100`)).body.messages as { seq: number }[]).map((m) => m.seq);

    beforeAll(async () => {
      // A small batch, so a conversation takes several transactions; the timer never fires in a test.
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'retention_admin', RETENTION_BATCH_SIZE: '4', RETENTION_INTERVAL_MS: '3600000' } });
      admin = await registerNamed(server.url, 'retention_admin');
    });
    afterAll(() => server.close());

    it("deletes exactly what is older than a conversation's period, with what hangs on it, and announces it", async () => {
      const [alice, bob] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob')]);
      const conversation = await createConversation(alice, [bob]);
      const other = await createConversation(alice, [bob]);
      const file = await uploaded(alice.api, 'old bytes', 'old.txt');
      const old = [];
      old.push((await alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: 'zebrafish attached', attachments: [file.id] })).body);
      for (let i = 2; i <= 10; i++) old.push(await sendMessage(alice, conversation.id, i === 3 ? `@${bob.user.username} zebrafish ${i}` : `zebrafish ${i}`));
      const young = [];
      for (let i = 11; i <= 14; i++) young.push(await sendMessage(alice, conversation.id, `quokka ${i}`));
      expect((await bob.api.put(`/messages/${old[1].message_id}/reactions/${encodeURIComponent('👍')}`)).status).toBe(204);
      expect((await bob.api.put(`/conversations/${conversation.id}/pins/${old[2].message_id}`)).status).toBe(204);
      const keptElsewhere = await sendMessage(alice, other.id, 'zebrafish elsewhere');
      await age(conversation.id, 10, 8);
      await age(other.id, 1, 400);
      const socket = await TestSocket.open(server.wsUrl, { token: bob.token });
      try {
        const set = await alice.api.put(`/conversations/${conversation.id}/retention`, { retention_days: 7 });
        expect(set.status).toBe(200);
        expect(set.body.retention_days).toBe(7);
        const frame = await socket.waitFor((f) => f.type === 'messages.expired' && f.conversation_id === conversation.id, 10_000);
        expect(frame).toEqual({ type: 'messages.expired', conversation_id: conversation.id, event_seq: expect.any(Number), through_seq: 10 });
      } finally {
        socket.ws.close();
      }
      expect(await seqs(bob, conversation.id)).toEqual([11, 12, 13, 14]);
      expect(await seqs(bob, other.id)).toEqual([keptElsewhere.seq]);
      const got = (await bob.api.get(`/conversations/${conversation.id}`)).body;
      expect(got).toMatchObject({ retention_days: 7, expired_through_seq: 10 });
      // What hung on the deleted messages went with them.
      expectProblem(await bob.api.get(`/messages/${old[1].message_id}/reactions`), 404, 'not_found');
      expect((await bob.api.get(`/conversations/${conversation.id}/pins`)).body.pins).toEqual([]);
      const marks = await db().selectFrom('mention_marks').select('seq').where('conversation_id', '=', conversation.id).execute();
      expect(marks).toEqual([]);
      const listed = (await bob.api.get('/conversations?limit=100')).body.conversations.find((c: { id: string }) => c.id === conversation.id);
      expect(listed.unread_mentions).toBe(0);
      const found = (await bob.api.get('/search/messages?q=zebrafish')).body.results.map((r: { message: { message_id: string } }) => r.message.message_id);
      expect(found).toEqual([keptElsewhere.message_id]);
      expect((await bob.api.get('/search/messages?q=quokka')).body.results).toHaveLength(4);
      // The attachment's upload is released to the clean-up job, which deletes it.
      await waitUntil(async () => (await db().selectFrom('uploads').select('id').where('id', '=', file.id).execute()).length === 0);
      // The change feed: events from before the cutoff are gone (an old position gets a snapshot), and messages.expired is there.
      expectProblem(await bob.api.get(`/conversations/${conversation.id}/events?after=0`), 410, 'position_expired');
      const synced = (await bob.api.post('/sync', { conversations: { [conversation.id]: 0 } })).body.conversations[0];
      expect(synced).toMatchObject({ status: 'snapshot', reason: 'expired', snapshot: { conversation: { expired_through_seq: 10 } } });
      expect(synced.snapshot.messages.map((m: { seq: number }) => m.seq)).toEqual([11, 12, 13, 14]);
      const events = (await bob.api.get(`/conversations/${conversation.id}/events?after=${got.last_event_seq - 1}`)).body.events;
      expect(events.at(-1)).toMatchObject({ type: 'messages.expired', through_seq: 10, actor_id: null });
      // The young ones are untouched, reactions and all.
      expect(young.map((m) => m.seq)).toEqual([11, 12, 13, 14]);
    });

    it('applies the shorter of the server-wide and the conversation period; an admin sets the server-wide one, audited', async () => {
      const [alice, bob] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob')]);
      const longer = await createConversation(alice, [bob]);
      const shorter = await createConversation(alice, [bob]);
      for (const c of [longer, shorter]) for (let i = 0; i < 6; i++) await sendMessage(alice, c.id, `m${i}`);
      await age(longer.id, 2, 40);
      await db().updateTable('messages').set({ created_at: new Date(Date.now() - 20 * DAY_MS).toISOString() }).where('conversation_id', '=', longer.id).where('seq', 'in', [3, 4]).execute();
      await db().updateTable('messages').set({ created_at: new Date(Date.now() - 15 * DAY_MS).toISOString() }).where('conversation_id', '=', shorter.id).where('seq', '<=', 3).execute();
      expect((await alice.api.put(`/conversations/${longer.id}/retention`, { retention_days: 60 })).status).toBe(200);
      expect((await alice.api.put(`/conversations/${shorter.id}/retention`, { retention_days: 10 })).status).toBe(200);
      expect(await seqs(bob, longer.id)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await admin.api.get('/admin/retention')).body).toEqual({ message_retention_days: null });
      const put = await admin.api.put('/admin/retention', { message_retention_days: 30 });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({ message_retention_days: 30 });
      expect((await admin.api.get('/admin/retention')).body).toEqual({ message_retention_days: 30 });
      await waitUntil(async () => (await seqs(bob, longer.id)).length === 4);
      expect(await seqs(bob, longer.id)).toEqual([3, 4, 5, 6]);
      await waitUntil(async () => (await seqs(bob, shorter.id)).length === 3);
      expect(await seqs(bob, shorter.id)).toEqual([4, 5, 6]);
      const audit = (await admin.api.get('/admin/audit?action=retention.changed')).body.entries;
      expect(audit[0]).toMatchObject({ actor_id: admin.user.id, action: 'retention.changed', target_type: 'server', before: { message_retention_days: null }, after: { message_retention_days: 30 } });
      // The same value again changes nothing and is not audited again.
      expect((await admin.api.put('/admin/retention', { message_retention_days: 30 })).status).toBe(200);
      expect((await admin.api.get('/admin/audit?action=retention.changed')).body.entries).toHaveLength(audit.length);
      expect((await admin.api.put('/admin/retention', { message_retention_days: null })).body).toEqual({ message_retention_days: null });
    });

    it('refuses periods of 0, negative, fractional or absurd days, non-admins, non-owners and outsiders', async () => {
      const [alice, bob, outsider] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob'), registerUser(server.url, 'outsider')]);
      const conversation = await createConversation(alice, [bob]);
      for (const days of [0, -1, 1.5, '7', 36_501, true]) {
        expectProblem(await admin.api.put('/admin/retention', { message_retention_days: days }), 400, 'invalid_request');
        expectProblem(await alice.api.put(`/conversations/${conversation.id}/retention`, { retention_days: days }), 400, 'invalid_request');
      }
      expectProblem(await admin.api.put('/admin/retention', {}), 400, 'invalid_request');
      expectProblem(await admin.api.put('/admin/retention', { message_retention_days: 7, extra: 1 }), 400, 'invalid_request');
      expectProblem(await alice.api.put(`/conversations/${conversation.id}/retention`, {}), 400, 'invalid_request');
      expectProblem(await alice.api.get('/admin/retention'), 403, 'forbidden');
      expectProblem(await alice.api.put('/admin/retention', { message_retention_days: 7 }), 403, 'forbidden');
      expectProblem(await bob.api.put(`/conversations/${conversation.id}/retention`, { retention_days: 7 }), 403, 'not_owner');
      expectProblem(await outsider.api.put(`/conversations/${conversation.id}/retention`, { retention_days: 7 }), 403, 'not_member');
      expectProblem(await alice.api.put(`/conversations/${randomUUID()}/retention`, { retention_days: 7 }), 404, 'not_found');
      // Clearing it again: the v1 shape comes back.
      expect((await alice.api.put(`/conversations/${conversation.id}/retention`, { retention_days: 7 })).body.retention_days).toBe(7);
      const cleared = await alice.api.put(`/conversations/${conversation.id}/retention`, { retention_days: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).not.toHaveProperty('retention_days');
    });

    it('one process at a time holds the job lease; a lease past its time is taken over', async () => {
      const leases = server.app.pneumatic.store.jobLeases;
      const name = `test-${randomUUID()}`;
      const now = Date.now();
      const iso = (ms: number) => new Date(ms).toISOString();
      const [first, second] = await Promise.all([leases.tryAcquire(name, 'a', iso(now), iso(now + 60_000)), leases.tryAcquire(name, 'b', iso(now), iso(now + 60_000))]);
      expect([first, second].filter(Boolean)).toHaveLength(1);
      const holder = first ? 'a' : 'b';
      const other = first ? 'b' : 'a';
      expect(await leases.tryAcquire(name, other, iso(now + 1000), iso(now + 61_000))).toBe(false);
      expect(await leases.tryAcquire(name, holder, iso(now + 1000), iso(now + 61_000))).toBe(true);
      expect(await leases.tryAcquire(name, other, iso(now + 61_001), iso(now + 120_000))).toBe(true);
      await leases.release(name, other, iso(now + 62_000));
      expect(await leases.tryAcquire(name, holder, iso(now + 62_001), iso(now + 120_000))).toBe(true);
    });

    it('two servers on one database running the job every 100 ms: what is due is deleted once and announced once', async () => {
      const env = { RATE_LIMITS: 'off', RETENTION_INTERVAL_MS: '100', RETENTION_BATCH_SIZE: '3' };
      const first = await startServer({ dialect, env, database: server.database });
      const second = await startServer({ dialect, env, database: server.database });
      try {
        const [alice, bob] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob')]);
        const conversations = await Promise.all([1, 2, 3].map(() => createConversation(alice, [bob])));
        for (const c of conversations) for (let i = 0; i < 10; i++) await sendMessage(alice, c.id, `m${i}`);
        for (const c of conversations) await age(c.id, 8, 5);
        for (const c of conversations) expect((await alice.api.put(`/conversations/${c.id}/retention`, { retention_days: 2 })).status).toBe(200);
        for (const c of conversations) await waitUntil(async () => (await seqs(bob, c.id)).length === 2);
        // A few more runs of both: nothing more is due, so nothing more is announced.
        await new Promise((resolve) => setTimeout(resolve, 500));
        for (const c of conversations) {
          expect(await seqs(bob, c.id)).toEqual([9, 10]);
          const expired = await db().selectFrom('conversation_events').select('event_seq').where('conversation_id', '=', c.id).where('type', '=', 'messages.expired').execute();
          expect(expired).toHaveLength(1);
        }
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    it('sends go on while a long conversation is deleted batch by batch, and none of them is lost', async () => {
      const [alice, bob] = await Promise.all([registerUser(server.url, 'alice'), registerUser(server.url, 'bob')]);
      const conversation = await createConversation(alice, [bob]);
      const messages = Array.from({ length: 120 }, (_, i) => ({ message_id: randomUUID(), content: `old ${i}` }));
      for (const body of messages) expect((await alice.api.post(`/conversations/${conversation.id}/messages`, body)).status).toBe(201);
      await age(conversation.id, 120, 3);
      expect((await alice.api.put(`/conversations/${conversation.id}/retention`, { retention_days: 1 })).status).toBe(200);
      // 30 batches of 4 run while these are sent.
      const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => alice.api.post(`/conversations/${conversation.id}/messages`, { message_id: randomUUID(), content: `new ${i}` })));
      expect(sent.map((r) => r.status)).toEqual(sent.map(() => 201));
      await waitUntil(async () => (await seqs(bob, conversation.id)).length === 30);
      expect(await seqs(bob, conversation.id)).toEqual(sent.map((r) => r.body.seq as number).sort((a, b) => a - b));
    });
  });
}
