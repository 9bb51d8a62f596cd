/**
 * GET /users/me/export (docs/API.md, "Your data"): your account, blocks, the conversations you
 * are in and every message you sent in them (all pages of a long history), as one JSON file;
 * nobody else's messages, nothing of conversations you left.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Api, createConversation, expectProblem, registerUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

for (const dialect of enabledDialects()) {
  describe(`your data [${dialect}]`, () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
    });
    afterAll(() => server.close());

    it('downloads your account, blocks, conversations and all your messages, and nothing of others', async () => {
      const [me, friend, pest] = await Promise.all([registerUser(server.url, 'me'), registerUser(server.url, 'friend'), registerUser(server.url, 'pest')]);
      const busy = await createConversation(me, [friend]);
      const left = await createConversation(friend, [me]);
      const mine: string[] = [];
      for (let i = 0; i < 1203; i += 100) {
        await Promise.all(Array.from({ length: Math.min(100, 1203 - i) }, async () => {
          const id = randomUUID();
          expect((await me.api.post(`/conversations/${busy.id}/messages`, { message_id: id, content: 'mine' })).status).toBe(201);
          mine.push(id);
        }));
      }
      await friend.api.post(`/conversations/${busy.id}/messages`, { message_id: randomUUID(), content: 'theirs' });
      await me.api.post(`/conversations/${left.id}/messages`, { message_id: randomUUID(), content: 'before I left' });
      expect((await me.api.delete(`/conversations/${left.id}/members/${me.user.id}`)).status).toBe(204);
      expect((await me.api.put(`/users/me/blocks/${pest.user.id}`)).status).toBe(204);

      const response = await fetch(`${server.url}/users/me/export`, { headers: { authorization: `Bearer ${me.token}` } });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="pneumatic-${me.user.username}-\\d{4}-\\d{2}-\\d{2}\\.json"$`));
      const data = await response.json();
      expect(Object.keys(data)).toEqual(['format', 'version', 'exported_at', 'user', 'blocks', 'conversations', 'messages']);
      expect(data).toMatchObject({ format: 'pneumatic-user-export', version: 1, user: me.user });
      expect(data.blocks.map((b: any) => b.user.id)).toEqual([pest.user.id]);
      expect(data.conversations.map((c: any) => c.id)).toEqual([busy.id]);
      expect(data.conversations[0]).not.toHaveProperty('last_message');
      expect(data.conversations[0].members.map((m: any) => m.user_id).sort()).toEqual([me.user.id, friend.user.id].sort());
      expect(data.messages).toHaveLength(1203);
      expect(data.messages.every((m: any) => m.sender_id === me.user.id && m.conversation_id === busy.id)).toBe(true);
      expect(data.messages.map((m: any) => m.message_id).sort()).toEqual([...mine].sort());
      const seqs = data.messages.map((m: any) => m.seq);
      expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));

      // Someone with nothing: empty lists, still one document.
      const quiet = await registerUser(server.url, 'quiet');
      const empty = (await quiet.api.get('/users/me/export')).body;
      expect(empty).toMatchObject({ user: quiet.user, blocks: [], conversations: [], messages: [] });
      expectProblem(await new Api(server.url).get('/users/me/export'), 401, 'unauthorized');
    });
  });
}
