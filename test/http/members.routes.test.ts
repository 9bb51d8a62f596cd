import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

for (const dialect of enabledDialects()) {
  describe(`members routes [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let outsider: TestUser;
    let newcomer: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [owner, member, outsider, newcomer] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'member'), registerUser(server.url, 'outsider'), registerUser(server.url, 'newcomer')]);
    });
    afterAll(() => server.close());

    const memberIdsOf = async (as: TestUser, conversationId: string): Promise<string[]> => {
      const response = await as.api.get(`/conversations/${conversationId}`);
      expect(response.status).toBe(200);
      return response.body.members.map((m: any) => m.user_id).sort();
    };

    describe('POST /conversations/{id}/members', () => {
      it('returns 201 with the new member when an owner adds a user', async () => {
        const c = await createConversation(owner, [member]);
        const response = await owner.api.post(`/conversations/${c.id}/members`, { user_id: newcomer.user.id });
        expect(response.status).toBe(201);
        expect(Object.keys(response.body).sort()).toEqual(['avatar_url', 'display_name', 'is_bot', 'joined_at', 'last_read_seq', 'role', 'user_id', 'username']);
        expect(response.body).toMatchObject({ user_id: newcomer.user.id, username: newcomer.user.username, role: 'member', last_read_seq: 0 });
        expect(response.body.joined_at).toMatch(ISO_MS);
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, member.user.id, newcomer.user.id].sort());
        // The new member can now read the conversation.
        expect((await newcomer.api.get(`/conversations/${c.id}`)).status).toBe(200);
      });

      it('returns 201 when a plain member adds a user (any member may add)', async () => {
        const c = await createConversation(owner, [member]);
        const response = await member.api.post(`/conversations/${c.id}/members`, { user_id: newcomer.user.id });
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({ user_id: newcomer.user.id, role: 'member' });
      });

      it('returns 200 with the existing member, unchanged, when the user is already a member', async () => {
        const c = await createConversation(owner, [member]);
        await sendMessage(owner, c.id);
        expect((await member.api.post(`/conversations/${c.id}/read`, { seq: 1 })).status).toBe(204);
        const existing = (await owner.api.get(`/conversations/${c.id}`)).body.members.find((m: any) => m.user_id === member.user.id);
        const response = await owner.api.post(`/conversations/${c.id}/members`, { user_id: member.user.id });
        expect(response.status).toBe(200);
        expect(response.body).toEqual(existing);
        expect(response.body.last_read_seq).toBe(1);
        // Re-adding the owner keeps the owner role.
        const again = await member.api.post(`/conversations/${c.id}/members`, { user_id: owner.user.id });
        expect(again.status).toBe(200);
        expect(again.body.role).toBe('owner');
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, member.user.id].sort());
      });

      it('accepts the user_id in upper case', async () => {
        const c = await createConversation(owner, []);
        const response = await owner.api.post(`/conversations/${c.id}/members`, { user_id: newcomer.user.id.toUpperCase() });
        expect(response.status).toBe(201);
        expect(response.body.user_id).toBe(newcomer.user.id);
        expect((await owner.api.post(`/conversations/${c.id}/members`, { user_id: newcomer.user.id })).status).toBe(200);
      });

      it('returns 403 not_member when the caller is not a member, and adds nobody', async () => {
        const c = await createConversation(owner, [member]);
        expectProblem(await outsider.api.post(`/conversations/${c.id}/members`, { user_id: outsider.user.id }), 403, 'not_member');
        expectProblem(await outsider.api.post(`/conversations/${c.id}/members`, { user_id: newcomer.user.id }), 403, 'not_member');
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, member.user.id].sort());
      });

      it('returns 404 when the conversation does not exist', async () => {
        expectProblem(await owner.api.post(`/conversations/${randomUUID()}/members`, { user_id: member.user.id }), 404, 'not_found');
      });

      it('returns 404 user_not_found when the user does not exist', async () => {
        const c = await createConversation(owner, []);
        expectProblem(await owner.api.post(`/conversations/${c.id}/members`, { user_id: randomUUID() }), 404, 'user_not_found');
      });

      it('returns 400 invalid_request when user_id is missing, null, a number or not a UUID', async () => {
        const c = await createConversation(owner, []);
        for (const body of [{}, { user_id: null }, { user_id: 7 }, { user_id: 'bob' }]) {
          const response = await owner.api.post(`/conversations/${c.id}/members`, body);
          expectProblem(response, 400, 'invalid_request');
          expect(response.body.detail).toContain('user_id');
        }
      });
    });

    describe('DELETE /conversations/{id}/members/{user_id}', () => {
      it('returns 204 when a member removes themselves', async () => {
        const c = await createConversation(owner, [member]);
        const response = await member.api.delete(`/conversations/${c.id}/members/${member.user.id}`);
        expect(response.status).toBe(204);
        expect(response.body).toBe('');
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id]);
      });

      it('returns 204 when an owner removes another member', async () => {
        const c = await createConversation(owner, [member, newcomer]);
        expect((await owner.api.delete(`/conversations/${c.id}/members/${member.user.id}`)).status).toBe(204);
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, newcomer.user.id].sort());
      });

      it('returns 403 when a plain member tries to remove someone else, and removes nobody', async () => {
        const c = await createConversation(owner, [member, newcomer]);
        expectProblem(await member.api.delete(`/conversations/${c.id}/members/${newcomer.user.id}`), 403);
        expectProblem(await member.api.delete(`/conversations/${c.id}/members/${owner.user.id}`), 403);
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, member.user.id, newcomer.user.id].sort());
      });

      it('returns 404 when the user_id is not a member', async () => {
        const c = await createConversation(owner, [member]);
        expectProblem(await owner.api.delete(`/conversations/${c.id}/members/${outsider.user.id}`), 404, 'not_found');
        expectProblem(await owner.api.delete(`/conversations/${c.id}/members/${randomUUID()}`), 404, 'not_found');
      });

      it('returns 404 when the member was already removed', async () => {
        const c = await createConversation(owner, [member]);
        expect((await owner.api.delete(`/conversations/${c.id}/members/${member.user.id}`)).status).toBe(204);
        expectProblem(await owner.api.delete(`/conversations/${c.id}/members/${member.user.id}`), 404, 'not_found');
      });

      it('returns 404 when the conversation does not exist', async () => {
        expectProblem(await owner.api.delete(`/conversations/${randomUUID()}/members/${owner.user.id}`), 404, 'not_found');
      });

      it('returns 403 not_member when the caller is not a member', async () => {
        const c = await createConversation(owner, [member]);
        expectProblem(await outsider.api.delete(`/conversations/${c.id}/members/${member.user.id}`), 403, 'not_member');
        expect(await memberIdsOf(owner, c.id)).toEqual([owner.user.id, member.user.id].sort());
      });

      it('returns 400 when the user_id is not a UUID', async () => {
        const c = await createConversation(owner, [member]);
        expectProblem(await owner.api.delete(`/conversations/${c.id}/members/bob`), 400, 'invalid_request');
      });

      it('denies a removed member the conversation afterwards (403 not_member everywhere)', async () => {
        const c = await createConversation(owner, [member]);
        const message = await sendMessage(member, c.id, 'before leaving');
        expect((await owner.api.delete(`/conversations/${c.id}/members/${member.user.id}`)).status).toBe(204);
        expectProblem(await member.api.get(`/conversations/${c.id}`), 403, 'not_member');
        expectProblem(await member.api.get(`/conversations/${c.id}/messages`), 403, 'not_member');
        expectProblem(await member.api.post('/messages', { message_id: randomUUID(), conversation_id: c.id, content: 'still here?' }), 403, 'not_member');
        expectProblem(await member.api.post(`/conversations/${c.id}/read`, { seq: 1 }), 403, 'not_member');
        expectProblem(await member.api.patch(`/messages/${message.message_id}`, { content: 'edit' }), 403, 'not_member');
        expectProblem(await member.api.post(`/conversations/${c.id}/members`, { user_id: member.user.id }), 403, 'not_member');
        const list = await member.api.get('/conversations');
        expect(list.body.conversations.map((x: any) => x.id)).not.toContain(c.id);
      });

      it('lets a removed user be added back', async () => {
        const c = await createConversation(owner, [member]);
        expect((await member.api.delete(`/conversations/${c.id}/members/${member.user.id}`)).status).toBe(204);
        expect((await owner.api.post(`/conversations/${c.id}/members`, { user_id: member.user.id })).status).toBe(201);
        expect((await member.api.get(`/conversations/${c.id}`)).status).toBe(200);
      });

      it('keeps the conversation manageable when the last owner leaves: another member becomes owner', async () => {
        const c = await createConversation(owner, [member, newcomer]);
        expect((await owner.api.delete(`/conversations/${c.id}/members/${owner.user.id}`)).status).toBe(204);
        const after = await member.api.get(`/conversations/${c.id}`);
        expect(after.body.members).toHaveLength(2);
        expect(after.body.members.filter((m: any) => m.role === 'owner')).toHaveLength(1);
      });
    });
  });
}
