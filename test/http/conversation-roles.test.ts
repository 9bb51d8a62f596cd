/**
 * Conversation roles (docs/API.md, "Conversation roles"): owners change roles with PATCH
 * /conversations/{id}/members/{user_id}; admins rename, delete others' messages and remove
 * members but not owners or other admins, and change no roles; a conversation keeps an owner;
 * each change is announced as member.updated (live and in the change feed) and written to the
 * server's audit log, as is the automatic promotion when the last owner leaves.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerNamed, Api, createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { TestSocket } from '../helpers/ws-client.js';

for (const dialect of enabledDialects()) {
  describe(`conversation roles [${dialect}]`, () => {
    let server: TestServer;
    let auditor: TestUser;
    let owner: TestUser;
    let admin: TestUser;
    let member: TestUser;
    let other: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off', ADMIN_USERNAMES: 'auditor', MENTION_ALL_MAX_MEMBERS: '2' } });
      auditor = await registerNamed(server.url, 'auditor');
      [owner, admin, member, other] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'admin'), registerUser(server.url, 'member'), registerUser(server.url, 'other')]);
    });
    afterAll(() => server.close());

    /** A conversation of owner, admin (made so by the owner), member and other. */
    async function staffed(): Promise<string> {
      const conversation = await createConversation(owner, [admin, member, other]);
      const promoted = await owner.api.patch(`/conversations/${conversation.id}/members/${admin.user.id}`, { role: 'admin' });
      expect(promoted.status).toBe(200);
      return conversation.id;
    }

    const roleOf = async (conversationId: string, userId: string): Promise<string> =>
      (await owner.api.get(`/conversations/${conversationId}`)).body.members.find((m: any) => m.user_id === userId)?.role;

    it('an owner makes a member admin: 200 Member, member.updated to every member live and in the change feed, an audit entry', async () => {
      const conversation = await createConversation(owner, [admin, member]);
      const socket = await TestSocket.open(server.wsUrl, { token: member.token });
      try {
        const response = await owner.api.patch(`/conversations/${conversation.id}/members/${admin.user.id}`, { role: 'admin' });
        expect(response.status).toBe(200);
        expect(response.body).toMatchObject({ user_id: admin.user.id, username: admin.user.username, role: 'admin' });
        const frame = await socket.waitFor((f) => f.type === 'member.updated' && f.conversation_id === conversation.id);
        expect(frame.member).toEqual(response.body);
        const events = (await member.api.get(`/conversations/${conversation.id}/events?after=${frame.event_seq - 1}`)).body.events;
        expect(events).toEqual([expect.objectContaining({ type: 'member.updated', event_seq: frame.event_seq, user_id: admin.user.id, member: response.body })]);
        expect(await roleOf(conversation.id, admin.user.id)).toBe('admin');

        // The same role again: 200, nothing announced, nothing logged.
        const again = await owner.api.patch(`/conversations/${conversation.id}/members/${admin.user.id}`, { role: 'admin' });
        expect(again.status).toBe(200);
        expect(again.body).toEqual(response.body);
        await socket.expectNone((f) => f.type === 'member.updated');
        expect((await member.api.get(`/conversations/${conversation.id}/events?after=${frame.event_seq}`)).body.events).toEqual([]);
      } finally {
        socket.close();
      }
      const entries = (await auditor.api.get(`/admin/audit?action=member.role_changed&target_id=${admin.user.id}`)).body.entries;
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actor_id: owner.user.id, target_type: 'user', conversation_id: conversation.id, before: { role: 'member' }, after: { role: 'admin' } });
      expect(entries[0].request_id).toEqual(expect.any(String));
    });

    it('an admin renames, deletes another member\'s message and removes a member; not an owner or another admin; changes no role', async () => {
      const id = await staffed();
      expect((await admin.api.patch(`/conversations/${id}`, { title: 'renamed by an admin' })).status).toBe(200);
      const message = await sendMessage(member, id, 'off topic');
      expect((await admin.api.delete(`/messages/${message.message_id}`)).status).toBe(204);
      expect((await owner.api.patch(`/conversations/${id}/members/${other.user.id}`, { role: 'admin' })).status).toBe(200);
      expectProblem(await admin.api.delete(`/conversations/${id}/members/${other.user.id}`), 403, 'not_owner');
      expectProblem(await admin.api.delete(`/conversations/${id}/members/${owner.user.id}`), 403, 'not_owner');
      for (const role of ['owner', 'admin', 'member']) {
        expectProblem(await admin.api.patch(`/conversations/${id}/members/${member.user.id}`, { role }), 403, 'not_owner');
      }
      expectProblem(await admin.api.patch(`/conversations/${id}/members/${admin.user.id}`, { role: 'owner' }), 403, 'not_owner');
      expect((await admin.api.delete(`/conversations/${id}/members/${member.user.id}`)).status).toBe(204);
      expectProblem(await member.api.get(`/conversations/${id}`), 403, 'not_member');
      // An admin may leave like anyone.
      expect((await admin.api.delete(`/conversations/${id}/members/${admin.user.id}`)).status).toBe(204);
    });

    it('an admin may mention everyone in a conversation above MENTION_ALL_MAX_MEMBERS; a member may not', async () => {
      const id = await staffed();
      expectProblem(await member.api.post(`/conversations/${id}/messages`, { message_id: randomUUID(), content: '@all lunch' }), 403, 'mention_all_forbidden');
      const sent = await admin.api.post(`/conversations/${id}/messages`, { message_id: randomUUID(), content: '@all lunch' });
      expect(sent.status).toBe(201);
      expect(sent.body.mentions_all).toBe(true);
    });

    it('a member changes no roles; the demoted admin loses what the role gave at once', async () => {
      const id = await staffed();
      expectProblem(await member.api.patch(`/conversations/${id}/members/${member.user.id}`, { role: 'admin' }), 403, 'not_owner');
      expectProblem(await member.api.patch(`/conversations/${id}/members/${other.user.id}`, { role: 'owner' }), 403, 'not_owner');
      expect((await owner.api.patch(`/conversations/${id}/members/${admin.user.id}`, { role: 'member' })).status).toBe(200);
      expectProblem(await admin.api.patch(`/conversations/${id}`, { title: 'no longer' }), 403, 'not_owner');
      expectProblem(await admin.api.delete(`/conversations/${id}/members/${member.user.id}`), 403, 'not_owner');
      const message = await sendMessage(member, id, 'mine');
      expectProblem(await admin.api.delete(`/messages/${message.message_id}`), 403, 'not_sender');
    });

    it('keeps an owner: the only owner cannot step down (409 last_owner); with a second owner either may', async () => {
      const id = await staffed();
      expectProblem(await owner.api.patch(`/conversations/${id}/members/${owner.user.id}`, { role: 'admin' }), 409, 'last_owner');
      expect(await roleOf(id, owner.user.id)).toBe('owner');
      expect((await owner.api.patch(`/conversations/${id}/members/${member.user.id}`, { role: 'owner' })).body.role).toBe('owner');
      // Now an owner, the former member may change roles, the first owner's too.
      expect((await member.api.patch(`/conversations/${id}/members/${owner.user.id}`, { role: 'member' })).body.role).toBe('member');
      expectProblem(await member.api.patch(`/conversations/${id}/members/${member.user.id}`, { role: 'member' }), 409, 'last_owner');
      expectProblem(await owner.api.patch(`/conversations/${id}/members/${member.user.id}`, { role: 'member' }), 403, 'not_owner');
    });

    it('when the last owner leaves, the longest-standing admin becomes owner before any longer-standing member; audited with no actor', async () => {
      // member joined first, admin later: the admin still succeeds.
      const conversation = await createConversation(owner, [member]);
      expect((await owner.api.post(`/conversations/${conversation.id}/members`, { user_id: admin.user.id })).status).toBe(201);
      expect((await owner.api.patch(`/conversations/${conversation.id}/members/${admin.user.id}`, { role: 'admin' })).status).toBe(200);
      expect((await owner.api.delete(`/conversations/${conversation.id}/members/${owner.user.id}`)).status).toBe(204);
      const members = (await admin.api.get(`/conversations/${conversation.id}`)).body.members;
      expect(Object.fromEntries(members.map((m: any) => [m.user_id, m.role]))).toEqual({ [member.user.id]: 'member', [admin.user.id]: 'owner' });
      const entries = (await auditor.api.get(`/admin/audit?action=member.role_changed&target_id=${admin.user.id}`)).body.entries;
      expect(entries.find((e: any) => e.conversation_id === conversation.id && e.after.role === 'owner')).toMatchObject({ actor_id: null, before: { role: 'admin' }, request_id: null });
    });

    it('refuses bad input and the wrong people: 400, 403 not_member, 404 for no such conversation or member', async () => {
      const id = await staffed();
      const path = `/conversations/${id}/members/${member.user.id}`;
      for (const body of [{}, { role: 'boss' }, { role: 'admin', title: 'x' }, { role: null }, []]) {
        expectProblem(await owner.api.patch(path, body), 400, 'invalid_request');
      }
      expectProblem(await owner.api.patch(`/conversations/${id}/members/not-a-uuid`, { role: 'admin' }), 400, 'invalid_request');
      const outsider = await registerUser(server.url, 'outsider');
      expectProblem(await outsider.api.patch(path, { role: 'admin' }), 403, 'not_member');
      expectProblem(await owner.api.patch(`/conversations/${id}/members/${outsider.user.id}`, { role: 'admin' }), 404, 'not_found');
      expectProblem(await owner.api.patch(`/conversations/${randomUUID()}/members/${member.user.id}`, { role: 'admin' }), 404, 'not_found');
      expectProblem(await new Api(server.url).patch(path, { role: 'admin' }), 401, 'unauthorized');
      expect(await roleOf(id, member.user.id)).toBe('member');
    });
  });
}
