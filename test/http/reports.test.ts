/**
 * Reports (docs/API.md, "Reports"): a member reports someone else's message once, with what it
 * said then; admins page through the open queue oldest first, resolve or dismiss (audited); the
 * first admin to close a report decides it.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNamed, createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`reports [${dialect}]`, () => {
    let server: TestServer;
    let moderator: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'moderator' } });
      moderator = await registerNamed(server.url, 'moderator');
    });
    afterAll(() => server.close());

    it('a member reports a message once; the report keeps the text as it was; admins see it in the open queue', async () => {
      const [reporter, sender] = await Promise.all([registerUser(server.url, 'reporter'), registerUser(server.url, 'sender')]);
      const conversation = await createConversation(sender, [reporter]);
      const message = await sendMessage(sender, conversation.id, 'buy cheap watches');
      const created = await reporter.api.post(`/messages/${message.message_id}/reports`, { reason: 'spam' });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        id: expect.any(String), message_id: message.message_id, conversation_id: conversation.id, reporter_id: reporter.user.id, sender_id: sender.user.id,
        content: 'buy cheap watches', reason: 'spam', status: 'open', created_at: expect.any(String), resolved_at: null, resolved_by: null, note: null,
      });
      // Edited afterwards: the report still holds what was reported.
      expect((await sender.api.patch(`/messages/${message.message_id}`, { content: 'hello' })).status).toBe(200);
      const again = await reporter.api.post(`/messages/${message.message_id}/reports`, { reason: 'spam again' });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(created.body);
      const queue = (await moderator.api.get('/admin/reports')).body;
      expect(queue.reports).toContainEqual(created.body);
    });

    it('refuses your own message, a deleted one, outsiders, unknown messages and bad reasons', async () => {
      const [reporter, sender, outsider] = await Promise.all([registerUser(server.url, 'reporter'), registerUser(server.url, 'sender'), registerUser(server.url, 'outsider')]);
      const conversation = await createConversation(sender, [reporter]);
      const message = await sendMessage(sender, conversation.id, 'rude');
      const mine = await sendMessage(reporter, conversation.id, 'mine');
      expectProblem(await reporter.api.post(`/messages/${mine.message_id}/reports`, { reason: 'x' }), 400, 'invalid_request');
      expectProblem(await outsider.api.post(`/messages/${message.message_id}/reports`, { reason: 'x' }), 403, 'not_member');
      expectProblem(await reporter.api.post(`/messages/${randomUUID()}/reports`, { reason: 'x' }), 404, 'not_found');
      for (const body of [{}, { reason: '' }, { reason: 'x'.repeat(1001) }, { reason: 'x', extra: 1 }, { reason: 5 }]) {
        expectProblem(await reporter.api.post(`/messages/${message.message_id}/reports`, body), 400, 'invalid_request');
      }
      expect((await sender.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
      expectProblem(await reporter.api.post(`/messages/${message.message_id}/reports`, { reason: 'x' }), 409, 'message_deleted');
    });

    it('admins close reports: resolved or dismissed with a note, audited, out of the open queue; the first close decides', async () => {
      const [reporter, sender] = await Promise.all([registerUser(server.url, 'reporter'), registerUser(server.url, 'sender')]);
      const conversation = await createConversation(sender, [reporter]);
      const first = (await reporter.api.post(`/messages/${(await sendMessage(sender, conversation.id, 'one')).message_id}/reports`, { reason: 'a' })).body;
      const second = (await reporter.api.post(`/messages/${(await sendMessage(sender, conversation.id, 'two')).message_id}/reports`, { reason: 'b' })).body;
      const resolved = await moderator.api.patch(`/admin/reports/${first.id}`, { status: 'resolved', note: 'deleted it, warned them' });
      expect(resolved.status).toBe(200);
      expect(resolved.body).toMatchObject({ id: first.id, status: 'resolved', resolved_by: moderator.user.id, note: 'deleted it, warned them' });
      expect(resolved.body.resolved_at).toEqual(expect.any(String));
      expect((await moderator.api.patch(`/admin/reports/${first.id}`, { status: 'resolved' })).body).toEqual(resolved.body);
      expectProblem(await moderator.api.patch(`/admin/reports/${first.id}`, { status: 'dismissed' }), 409, 'report_closed');
      expect((await moderator.api.patch(`/admin/reports/${second.id}`, { status: 'dismissed' })).body).toMatchObject({ status: 'dismissed', note: null });

      const open = (await moderator.api.get('/admin/reports?status=open&limit=100')).body.reports.map((r: any) => r.id);
      expect(open).not.toContain(first.id);
      expect(open).not.toContain(second.id);
      expect((await moderator.api.get('/admin/reports?status=resolved&limit=100')).body.reports).toContainEqual(resolved.body);
      const audit = (await moderator.api.get(`/admin/audit?target_id=${first.id}`)).body.entries;
      expect(audit).toEqual([
        expect.objectContaining({ action: 'report.resolved', actor_id: moderator.user.id, target_type: 'report', conversation_id: conversation.id, before: { status: 'open' }, after: { status: 'resolved', note: 'deleted it, warned them' } }),
      ]);
      expect((await moderator.api.get(`/admin/audit?target_id=${second.id}`)).body.entries[0]).toMatchObject({ action: 'report.dismissed' });
      for (const body of [{}, { status: 'open' }, { status: 'resolved', note: 'x'.repeat(1001) }]) {
        expectProblem(await moderator.api.patch(`/admin/reports/${second.id}`, body), 400, 'invalid_request');
      }
      expectProblem(await reporter.api.patch(`/admin/reports/${second.id}`, { status: 'resolved' }), 403, 'forbidden');
      expectProblem(await reporter.api.get('/admin/reports'), 403, 'forbidden');
    });

    it('pages the queue oldest first with a cursor; refuses a cursor it did not give', async () => {
      const [reporter, sender] = await Promise.all([registerUser(server.url, 'reporter'), registerUser(server.url, 'sender')]);
      const conversation = await createConversation(sender, [reporter]);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await reporter.api.post(`/messages/${(await sendMessage(sender, conversation.id, `m${i}`)).message_id}/reports`, { reason: 'r' })).body.id);
      }
      const seen: { id: string; created_at: string }[] = [];
      let cursor: string | null = null;
      do {
        const page: any = (await moderator.api.get(`/admin/reports?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).body;
        expect(page.reports.length).toBeLessThanOrEqual(2);
        seen.push(...page.reports.map((r: any) => ({ id: r.id, created_at: r.created_at })));
        cursor = page.next_cursor;
      } while (cursor);
      // Each once, in (created_at, id) order: reports made in the same millisecond go by id.
      const mine = seen.filter((r) => ids.includes(r.id));
      expect(mine.map((r) => r.id).sort()).toEqual([...ids].sort());
      const key = (r: { id: string; created_at: string }) => `${r.created_at} ${r.id}`;
      expect(mine).toEqual([...mine].sort((a, b) => (key(a) < key(b) ? -1 : 1)));
      expectProblem(await moderator.api.get('/admin/reports?cursor=bm9wZQ'), 400, 'invalid_cursor');
    });
  });
}
