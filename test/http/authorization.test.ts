/**
 * Access control across every route: a non-member gets 403 not_member from everything scoped to
 * a conversation or its messages, and learns nothing; every authenticated route refuses a missing
 * or revoked token with 401.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUser, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Conversation, Message } from '@pneumatic/protocol';

interface RouteCase {
  name: string;
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

const PROBLEM_KEYS = ['code', 'detail', 'request_id', 'status', 'title', 'type'];

for (const dialect of enabledDialects()) {
  describe(`authorization [${dialect}]`, () => {
    let server: TestServer;
    let owner: TestUser;
    let member: TestUser;
    let stranger: TestUser;
    let conversation: Conversation;
    let message: Message;
    const TITLE = `Board meeting ${randomUUID().slice(0, 8)}`;
    const CONTENT = `the secret is ${randomUUID().slice(0, 8)}`;

    beforeAll(async () => {
      server = await startServer({ dialect });
      [owner, member, stranger] = await Promise.all([registerUser(server.url, 'owner'), registerUser(server.url, 'member'), registerUser(server.url, 'stranger')]);
      conversation = await createConversation(owner, [member], TITLE);
      message = await sendMessage(member, conversation.id, CONTENT);
      await sendMessage(owner, conversation.id, 'second');
    });
    afterAll(() => server.close());

    /** Every route scoped to the conversation or one of its messages, as the stranger would call it. */
    const scopedRoutes = (): RouteCase[] => {
      const c = conversation.id;
      return [
        { name: 'GET /conversations/{id}', method: 'GET', path: `/conversations/${c}` },
        { name: 'POST /conversations/{id}/members (adding themselves)', method: 'POST', path: `/conversations/${c}/members`, body: { user_id: stranger.user.id } },
        { name: 'POST /conversations/{id}/members (adding a member)', method: 'POST', path: `/conversations/${c}/members`, body: { user_id: member.user.id } },
        { name: 'DELETE /conversations/{id}/members/{user_id} (a member)', method: 'DELETE', path: `/conversations/${c}/members/${member.user.id}` },
        { name: 'DELETE /conversations/{id}/members/{user_id} (the owner)', method: 'DELETE', path: `/conversations/${c}/members/${owner.user.id}` },
        { name: 'DELETE /conversations/{id}/members/{user_id} (themselves)', method: 'DELETE', path: `/conversations/${c}/members/${stranger.user.id}` },
        { name: 'GET /conversations/{id}/messages', method: 'GET', path: `/conversations/${c}/messages` },
        { name: 'GET /conversations/{id}/messages?after=0', method: 'GET', path: `/conversations/${c}/messages?after=0` },
        { name: 'GET /conversations/{id}/messages?before=3', method: 'GET', path: `/conversations/${c}/messages?before=3` },
        { name: 'POST /messages', method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: c, content: 'hi' } },
        { name: 'POST /messages with own sender_id', method: 'POST', path: '/messages', body: { message_id: randomUUID(), conversation_id: c, content: 'hi', sender_id: stranger.user.id } },
        { name: 'POST /messages reusing an existing message_id', method: 'POST', path: '/messages', body: { message_id: message.message_id, conversation_id: c, content: CONTENT } },
        { name: 'POST /conversations/{id}/messages', method: 'POST', path: `/conversations/${c}/messages`, body: { message_id: randomUUID(), content: 'hi' } },
        { name: 'POST /conversations/{id}/read', method: 'POST', path: `/conversations/${c}/read`, body: { seq: 1 } },
        { name: 'PATCH /messages/{message_id}', method: 'PATCH', path: `/messages/${message.message_id}`, body: { content: 'defaced' } },
        { name: 'DELETE /messages/{message_id}', method: 'DELETE', path: `/messages/${message.message_id}` },
      ];
    };

    /** Every route that requires a token, with a valid request body. */
    const authenticatedRoutes = (): RouteCase[] => [
      { name: 'DELETE /sessions/current', method: 'DELETE', path: '/sessions/current' },
      { name: 'DELETE /sessions?all=true', method: 'DELETE', path: '/sessions?all=true' },
      { name: 'GET /users/me', method: 'GET', path: '/users/me' },
      { name: 'GET /users/{id}', method: 'GET', path: `/users/${owner.user.id}` },
      { name: 'GET /users?username=', method: 'GET', path: `/users?username=${owner.user.username}` },
      { name: 'POST /conversations', method: 'POST', path: '/conversations', body: { title: 'x', member_ids: [] } },
      { name: 'GET /conversations', method: 'GET', path: '/conversations' },
      ...scopedRoutes(),
    ];

    it('lists every conversation- and message-scoped route of the contract', () => {
      const paths = new Set(scopedRoutes().map((r) => `${r.method} ${r.name.split(' ')[1]}`));
      for (const route of [
        'GET /conversations/{id}',
        'POST /conversations/{id}/members',
        'DELETE /conversations/{id}/members/{user_id}',
        'GET /conversations/{id}/messages',
        'POST /messages',
        'POST /conversations/{id}/messages',
        'POST /conversations/{id}/read',
        'PATCH /messages/{message_id}',
        'DELETE /messages/{message_id}',
      ]) {
        expect(paths).toContain(route);
      }
    });

    describe('a user who is not a member of the conversation', () => {
      it('gets 403 not_member from every conversation- or message-scoped route, and the body leaks nothing', async () => {
        const failures: string[] = [];
        for (const route of scopedRoutes()) {
          const response = await stranger.api.request(route.method, route.path, route.body === undefined ? {} : { body: route.body });
          try {
            expectProblem(response, 403, 'not_member');
          } catch (error) {
            failures.push(`${route.name}: ${(error as Error).message}`);
            continue;
          }
          const text = JSON.stringify(response.body);
          const leaks = [TITLE, CONTENT, 'second', owner.user.id, owner.user.username, member.user.id, member.user.username].filter((s) => text.includes(s));
          if (leaks.length > 0) failures.push(`${route.name}: body leaks ${leaks.join(', ')}`);
          const extra = Object.keys(response.body).filter((k) => !PROBLEM_KEYS.includes(k));
          if (extra.length > 0) failures.push(`${route.name}: unexpected fields ${extra.join(', ')}`);
        }
        expect(failures).toEqual([]);
      });

      it('changes nothing by trying', async () => {
        const after = await owner.api.get(`/conversations/${conversation.id}`);
        expect(after.status).toBe(200);
        expect(after.body.members.map((m: any) => [m.user_id, m.role, m.last_read_seq]).sort()).toEqual(
          conversation.members.map((m) => [m.user_id, m.role, m.last_read_seq]).sort(),
        );
        expect(after.body.last_seq).toBe(2);
        expect(after.body.title).toBe(TITLE);
        const history = await owner.api.get(`/conversations/${conversation.id}/messages`);
        expect(history.body.messages[0]).toEqual(message);
        expect(history.body.messages).toHaveLength(2);
        const list = await stranger.api.get('/conversations');
        expect(list.body.conversations.map((c: any) => c.id)).not.toContain(conversation.id);
      });

      it('gets the same answer as for a conversation that exists but the stranger cannot see, whatever its contents', async () => {
        const other = await createConversation(owner, [], 'another one');
        const a = await stranger.api.get(`/conversations/${conversation.id}`);
        const b = await stranger.api.get(`/conversations/${other.id}`);
        expect(a.body).toEqual(b.body);
      });
    });

    describe('authentication', () => {
      const expectAll401 = async (api: Api) => {
        const failures: string[] = [];
        for (const route of authenticatedRoutes()) {
          const response = await api.request(route.method, route.path, route.body === undefined ? {} : { body: route.body });
          try {
            expectProblem(response, 401, 'unauthorized');
          } catch (error) {
            failures.push(`${route.name}: ${(error as Error).message}`);
            continue;
          }
          const text = JSON.stringify(response.body);
          if (text.includes(TITLE) || text.includes(CONTENT)) failures.push(`${route.name}: body leaks data`);
        }
        expect(failures).toEqual([]);
      };

      it('every authenticated route answers 401 without a token', async () => {
        await expectAll401(new Api(server.url));
      });

      it('every authenticated route answers 401 with a token that was never issued', async () => {
        await expectAll401(new Api(server.url, 'bm90LWEtdG9rZW4'));
      });

      it('every authenticated route answers 401 with a malformed Authorization header', async () => {
        const failures: string[] = [];
        for (const header of ['Bearer', 'Bearer ', 'Token abc', `Bearer ${member.token} extra`, 'Bearer \u00e9t\u00e9']) {
          const response = await fetch(`${server.url}/users/me`, { headers: { authorization: header } });
          if (response.status !== 401) failures.push(`${JSON.stringify(header)}: ${response.status}`);
        }
        expect(failures).toEqual([]);
      });

      it('every authenticated route answers 401 with a revoked token, and the revoked token changes nothing', async () => {
        const revoked = await registerUser(server.url, 'revoked');
        // Make the revoked user a member and owner of a conversation so a 403 could not hide a missing 401.
        const own = await createConversation(revoked, [member], 'mine');
        const mine = await sendMessage(revoked, own.id, 'kept');
        expect((await revoked.api.delete('/sessions/current')).status).toBe(204);
        await expectAll401(revoked.api);
        const failures: string[] = [];
        for (const route of [
          { method: 'GET', path: `/conversations/${own.id}` },
          { method: 'DELETE', path: `/messages/${mine.message_id}` },
          { method: 'PATCH', path: `/messages/${mine.message_id}`, body: { content: 'changed' } },
          { method: 'POST', path: `/conversations/${own.id}/messages`, body: { message_id: randomUUID(), content: 'x' } },
          { method: 'DELETE', path: `/conversations/${own.id}/members/${member.user.id}` },
        ]) {
          const response = await revoked.api.request(route.method, route.path, route.body === undefined ? {} : { body: route.body });
          if (response.status !== 401) failures.push(`${route.method} ${route.path}: ${response.status}`);
        }
        expect(failures).toEqual([]);
        const history = await member.api.get(`/conversations/${own.id}/messages`);
        expect(history.body.messages).toEqual([mine]);
        expect((await member.api.get(`/conversations/${own.id}`)).body.members).toHaveLength(2);
      });

      it('every authenticated route answers 401 after DELETE /sessions?all=true revoked the token', async () => {
        const user = await registerUser(server.url, 'everywhere');
        expect((await user.api.delete('/sessions?all=true')).status).toBe(204);
        await expectAll401(user.api);
      });

      it('checks the token before validating the request (401, not 400, for a bad body without a token)', async () => {
        const anonymous = new Api(server.url);
        expectProblem(await anonymous.post('/conversations', { title: 5 }), 401, 'unauthorized');
        expectProblem(await anonymous.post('/messages', {}), 401, 'unauthorized');
        expectProblem(await anonymous.get('/conversations/not-a-uuid'), 401, 'unauthorized');
      });
    });
  });
}
