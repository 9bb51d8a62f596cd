/**
 * Removing a user's messages (docs/API.md, "Administration", Removing a user's messages): an
 * admin starts a removal of one user's messages in a window; 202 with the job, which deletes
 * exactly those messages in every conversation as ordinary deletes (live frames, change feed,
 * reactions and pins gone), counts its progress up to its total, and is audited at start and end.
 * A job whose holder crashed is resumed by another server once the lease expires. Bad input is
 * 400, an unknown user 404, a member 403.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNamed, Api, createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

const PASSWORD = 'correct horse battery';
/**
 * The test server polls once an hour: a removal started through it begins at once all the same,
 * and a job left by a crashed holder can only be taken over by the second server, which polls often.
 */
const JOB_ENV = { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'remover', MESSAGE_REMOVAL_POLL_INTERVAL_MS: '3600000', MESSAGE_REMOVAL_LEASE_MS: '1000' };

/** Polls GET /admin/message-removals/{id} until it is no longer running. */
async function finished(api: Api, id: string, timeoutMs = 8000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const removal = (await api.get(`/admin/message-removals/${id}`)).body;
    if (removal.status !== 'running') return removal;
    if (Date.now() > deadline) throw new Error(`removal still running: ${JSON.stringify(removal)}`);
    await sleep(50);
  }
}

/** Sends `count` messages, a few at a time. */
async function sendMany(sender: TestUser, conversationId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - i) }, (_, j) => sendMessage(sender, conversationId, `bulk ${i + j}`)));
  }
}

for (const dialect of enabledDialects()) {
  describe(`message removals [${dialect}]`, () => {
    let server: TestServer;
    let admin: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: JOB_ENV });
      admin = await registerNamed(server.url, 'remover', PASSWORD);
    });
    afterAll(() => server.close());

    it("deletes exactly the user's messages in the window, in every conversation, announced live and in the change feed, and audited", async () => {
      const [spammer, other, watcher] = await Promise.all([registerUser(server.url, 'spammer'), registerUser(server.url, 'other'), registerUser(server.url, 'watcher')]);
      const [first, second] = [await createConversation(watcher, [spammer, other]), await createConversation(other, [spammer, watcher])];
      const before = await sendMessage(spammer, first.id, 'before the window');
      await sleep(5);
      const inWindow = [await sendMessage(spammer, first.id, 'spam 1'), await sendMessage(spammer, second.id, 'spam 2'), await sendMessage(spammer, first.id, 'spam 3')];
      const othersInWindow = [await sendMessage(other, first.id, 'not spam'), await sendMessage(watcher, second.id, 'not spam either')];
      // A reaction and a pin go with the message, as with any delete.
      expect((await watcher.api.put(`/messages/${inWindow[0]!.message_id}/reactions/${encodeURIComponent('👍')}`)).status).toBeLessThan(300);
      expect((await watcher.api.put(`/conversations/${first.id}/pins/${inWindow[0]!.message_id}`)).status).toBeLessThan(300);
      await sleep(5);
      const after = await sendMessage(spammer, second.id, 'after the window');
      const from = inWindow[0]!.created_at;
      const to = after.created_at;
      const socket = await TestSocket.open(server.wsUrl, { token: watcher.token });
      try {
        const started = await admin.api.post(`/admin/users/${spammer.user.id}/message-removals`, { from, to });
        expect(started.status).toBe(202);
        expect(started.body).toEqual({
          id: expect.any(String), user_id: spammer.user.id, requested_by: admin.user.id, from, to, status: 'running', removed: 0, total: 3,
          created_at: expect.any(String), updated_at: expect.any(String), finished_at: null,
        });
        expect(started.headers.get('location')).toBe(`/admin/message-removals/${started.body.id}`);
        const done = await finished(admin.api, started.body.id);
        expect(done).toMatchObject({ id: started.body.id, status: 'done', removed: 3, total: 3, finished_at: expect.any(String) });
        expect(done).not.toHaveProperty('error');

        const frames = await socket.waitForCount((f) => f.type === 'message.updated' && f.message.deleted === true, 3);
        expect(frames.map((f) => f.message.message_id).sort()).toEqual(inWindow.map((m) => m.message_id).sort());
        const ids = async (conversationId: string) =>
          new Map(((await watcher.api.get(`/conversations/${conversationId}/messages?limit=50`)).body.messages as any[]).map((m) => [m.message_id, m]));
        const messages = new Map([...(await ids(first.id)), ...(await ids(second.id))]);
        for (const m of inWindow) expect(messages.get(m.message_id)).toMatchObject({ deleted: true, content: '' });
        for (const m of [before, after, ...othersInWindow]) expect(messages.get(m.message_id)).toMatchObject({ deleted: false, content: m.content });
        expect((await watcher.api.get(`/conversations/${first.id}/pins`)).body.pins).toEqual([]);
        expect(messages.get(inWindow[0]!.message_id).reactions).toEqual([]);

        const feed = [
          ...(await watcher.api.get(`/conversations/${first.id}/events?after=0`)).body.events,
          ...(await watcher.api.get(`/conversations/${second.id}/events?after=0`)).body.events,
        ].filter((e: any) => e.type === 'message.deleted');
        expect(feed.map((e: any) => e.message.message_id).sort()).toEqual(inWindow.map((m) => m.message_id).sort());
        expect(feed.every((e: any) => e.actor_id === admin.user.id)).toBe(true);
      } finally {
        socket.close();
      }
      const audit = (await admin.api.get(`/admin/audit?target_id=${spammer.user.id}`)).body.entries;
      expect(audit).toEqual([
        expect.objectContaining({ action: 'messages.removal_finished', actor_id: admin.user.id, target_type: 'user', after: { removal_id: expect.any(String), status: 'done', removed: 3 } }),
        expect.objectContaining({ action: 'messages.removal_started', actor_id: admin.user.id, target_type: 'user', after: { removal_id: expect.any(String), from, to, total: 3 }, request_id: expect.any(String) }),
      ]);
    });

    it('works through more than one batch with an open window while sends go on; lists removals newest first in pages', async () => {
      const [spammer, bystander] = await Promise.all([registerUser(server.url, 'flood'), registerUser(server.url, 'bystander')]);
      const conversation = await createConversation(bystander, [spammer]);
      await sendMany(spammer, conversation.id, 130);
      const started = await admin.api.post(`/admin/users/${spammer.user.id}/message-removals`, {});
      expect(started.body).toMatchObject({ from: null, to: null, total: 130, status: 'running' });
      // Sends are not held up behind the job.
      const sends = await Promise.all(Array.from({ length: 20 }, (_, i) => bystander.api.post('/messages', { message_id: randomUUID(), conversation_id: conversation.id, content: `meanwhile ${i}` })));
      expect(sends.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(await finished(admin.api, started.body.id)).toMatchObject({ status: 'done', removed: 130, total: 130 });
      const live = ((await bystander.api.get(`/conversations/${conversation.id}/messages?limit=100`)).body.messages as any[]).filter((m) => !m.deleted);
      expect(live.every((m) => m.sender_id === bystander.user.id)).toBe(true);
      expect(live).toHaveLength(20);

      // A second removal of the same user finds nothing left.
      const again = await admin.api.post(`/admin/users/${spammer.user.id}/message-removals`, {});
      expect(again.body).toMatchObject({ total: 0 });
      expect(await finished(admin.api, again.body.id)).toMatchObject({ status: 'done', removed: 0, total: 0 });
      const page1 = (await admin.api.get(`/admin/message-removals?user_id=${spammer.user.id}&limit=1`)).body;
      expect(page1.removals.map((r: any) => r.id)).toEqual([again.body.id]);
      const page2 = (await admin.api.get(`/admin/message-removals?user_id=${spammer.user.id}&limit=1&cursor=${page1.next_cursor}`)).body;
      expect(page2).toEqual({ removals: [expect.objectContaining({ id: started.body.id, status: 'done' })], next_cursor: null });
      expect((await admin.api.get('/admin/message-removals')).body.removals.map((r: any) => r.id)).toContain(started.body.id);
    });

    it('refuses bad windows and cursors with 400, an unknown user or removal with 404, and members with 403 forbidden', async () => {
      const [member, target] = await Promise.all([registerUser(server.url, 'member'), registerUser(server.url, 'target')]);
      const path = `/admin/users/${target.user.id}/message-removals`;
      const empty = await admin.api.post(path, { from: '2024-05-01T10:00:00.000Z', to: '2024-05-01T10:00:00.000Z' });
      expectProblem(empty, 400, 'invalid_request');
      expect(empty.body.errors).toEqual([{ pointer: '/to', detail: 'must be later than from' }]);
      // The same instant in another zone is as empty.
      expectProblem(await admin.api.post(path, { from: '2024-05-01T12:00:00+02:00', to: '2024-05-01T10:00:00Z' }), 400, 'invalid_request');
      for (const body of [{ from: 'yesterday' }, { to: '2024-13-01T00:00:00Z' }, { from: 12 }, { from: null }, { since: '2024-05-01T10:00:00Z' }]) {
        expectProblem(await admin.api.post(path, body), 400, 'invalid_request');
      }
      expectProblem(await admin.api.post(`/admin/users/${randomUUID()}/message-removals`, {}), 404, 'user_not_found');
      expectProblem(await admin.api.post('/admin/users/not-a-uuid/message-removals', {}), 400, 'invalid_request');
      expectProblem(await admin.api.get(`/admin/message-removals/${randomUUID()}`), 404, 'not_found');
      expectProblem(await admin.api.get('/admin/message-removals?cursor=bm9wZQ'), 400, 'invalid_cursor');
      expectProblem(await admin.api.get('/admin/message-removals?user_id=nope'), 400, 'invalid_request');
      const existing = (await admin.api.post(path, {})).body.id as string;
      for (const [method, url, body] of [
        ['POST', path, {}],
        ['GET', `/admin/message-removals/${existing}`, undefined],
        ['GET', '/admin/message-removals', undefined],
      ] as const) {
        expectProblem(await member.api.request(method, url, body === undefined ? {} : { body }), 403, 'forbidden');
      }
      // Nothing was started by the refused requests.
      expect((await admin.api.get(`/admin/message-removals?user_id=${target.user.id}`)).body.removals.map((r: any) => r.id)).toEqual([existing]);
    });

    it("resumes a crashed holder's removal on another server once its lease expires", async () => {
      const [spammer, bystander] = await Promise.all([registerUser(server.url, 'crashy'), registerUser(server.url, 'bystander')]);
      const conversation = await createConversation(bystander, [spammer]);
      await sendMany(spammer, conversation.id, 30);
      // The holder that "crashes": it takes the job, deletes a batch (of 10: any size will do), records it, and is never heard of again.
      const { store, services } = server.app.pneumatic;
      const now = new Date().toISOString();
      const created = await store.messageRemovals.create({ id: randomUUID(), user_id: spammer.user.id, requested_by: admin.user.id, from: null, to: null, bound_at: now, created_at: now });
      const claimed = await store.messageRemovals.claim('crashed-process', new Date().toISOString(), new Date(Date.now() + 60_000).toISOString());
      expect(claimed?.removal.id).toBe(created.id);
      const batch = await store.messageRemovals.nextBatch(claimed!, 10);
      const removed = await services.messages.deleteBatchAsAdmin(admin.user.id, batch);
      const last = batch.at(-1)!;
      // Its last renewal, running out in 300 ms.
      const leaseUntil = new Date(Date.now() + 300).toISOString();
      expect(await store.messageRemovals.advance(created.id, 'crashed-process', { removed, cursor: { created_at: last.created_at, message_id: last.message_id }, at: now, leaseUntil })).toBe(true);
      expect((await admin.api.get(`/admin/message-removals/${created.id}`)).body).toMatchObject({ status: 'running', removed: 10, total: 30 });

      const second = await startServer({ dialect, env: { ...JOB_ENV, MESSAGE_REMOVAL_POLL_INTERVAL_MS: '100' }, database: server.database });
      try {
        const done = await finished(new Api(second.url, admin.token), created.id);
        expect(done).toMatchObject({ status: 'done', removed: 30, total: 30 });
        const messages = (await bystander.api.get(`/conversations/${conversation.id}/messages?limit=100`)).body.messages as any[];
        expect(messages.filter((m) => !m.deleted)).toEqual([]);
        // The crashed holder's late write changes nothing: the job is no longer its own.
        expect(await store.messageRemovals.advance(created.id, 'crashed-process', { removed: 1, cursor: { created_at: last.created_at, message_id: last.message_id }, at: now, leaseUntil })).toBe(false);
      } finally {
        await second.close();
      }
    });
  });
}
