/**
 * How a client learns which reactions are its own without a request per message: history pages
 * (GET /conversations/{id}/messages) and sync snapshots carry `my_reactions`, message id → the
 * caller's emoji, only for the page's messages the caller reacted to, and no such field when
 * there are none (the v1 page shape). Messages themselves stay the same for every reader.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';

const path = (messageId: string, emoji: string) => `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

for (const dialect of enabledDialects()) {
  describe(`my_reactions in history pages and snapshots [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    beforeAll(async () => {
      server = await startServer({ dialect });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(() => server.close());

    async function arrange() {
      const conversation = await createConversation(alice, [bob]);
      const messages = [];
      for (const content of ['one', 'two', 'three']) messages.push(await sendMessage(alice, conversation.id, content));
      const history = async (user: TestUser, query = '') => (await user.api.get(`/conversations/${conversation.id}/messages${query}`)).body;
      return { conversation, messages, history };
    }

    it('has no my_reactions when the caller reacted to none of the page (the v1 shape)', async () => {
      const { messages, history } = await arrange();
      expect(Object.keys(await history(bob))).toEqual(['messages', 'has_more']);
      expect((await alice.api.request('PUT', path(messages[0]!.message_id, '👍'))).status).toBe(204);
      // Someone else's reaction is in the counts, not in your my_reactions.
      const page = await history(bob);
      expect(page).not.toHaveProperty('my_reactions');
      expect(page.messages[0].reactions).toEqual([{ emoji: '👍', count: 1 }]);
    });

    it('maps each message of the page the caller reacted to onto its emoji, in the order of reacting', async () => {
      const { messages, history } = await arrange();
      const [first, , third] = messages as [(typeof messages)[0], unknown, (typeof messages)[0]];
      for (const [user, message, emoji] of [
        [bob, first, '🎉'],
        [alice, first, '👍'],
        [bob, first, '👍🏽'],
        [bob, third, '❤️'],
      ] as const) {
        expect((await user.api.request('PUT', path(message.message_id, emoji))).status).toBe(204);
      }
      expect((await history(bob)).my_reactions).toEqual({ [first.message_id]: ['🎉', '👍🏽'], [third.message_id]: ['❤️'] });
      expect((await history(alice)).my_reactions).toEqual({ [first.message_id]: ['👍'] });
      // Only the page's messages: the latest one alone, then the page before it.
      expect((await history(bob, '?limit=1')).my_reactions).toEqual({ [third.message_id]: ['❤️'] });
      expect((await history(bob, `?before=${third.seq}`)).my_reactions).toEqual({ [first.message_id]: ['🎉', '👍🏽'] });
      expect(await history(alice, `?after=${first.seq}`)).not.toHaveProperty('my_reactions');
      // Messages are the same for every reader.
      expect((await history(alice)).messages).toEqual((await history(bob)).messages);
      // Taken back: gone from the map, and the map from the page when it is empty.
      expect((await bob.api.request('DELETE', path(first.message_id, '🎉'))).status).toBe(204);
      expect((await bob.api.request('DELETE', path(first.message_id, '👍🏽'))).status).toBe(204);
      expect((await history(bob)).my_reactions).toEqual({ [third.message_id]: ['❤️'] });
      expect((await alice.api.delete(`/messages/${third.message_id}`)).status).toBe(204);
      expect(await history(bob)).not.toHaveProperty('my_reactions');
    });

    it('gives a sync snapshot the caller my_reactions for its messages', async () => {
      const { conversation, messages } = await arrange();
      expect((await bob.api.request('PUT', path(messages[1]!.message_id, '👀'))).status).toBe(204);
      const sync = await bob.api.post('/sync', { conversations: {} });
      const entry = sync.body.conversations.find((c: { conversation_id: string }) => c.conversation_id === conversation.id);
      expect(entry).toMatchObject({ status: 'snapshot', snapshot: { my_reactions: { [messages[1]!.message_id]: ['👀'] } } });
      const other = (await alice.api.post('/sync', { conversations: {} })).body.conversations.find((c: { conversation_id: string }) => c.conversation_id === conversation.id);
      expect(other.snapshot).not.toHaveProperty('my_reactions');
      expect(other.snapshot.messages).toEqual(entry.snapshot.messages);
    });
  });
}
