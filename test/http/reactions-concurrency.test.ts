/**
 * Reactions under concurrency, on real HTTP and WebSocket: 100 identical PUTs at once store one
 * reaction, log one event and send one frame; 100 members reacting at once count exactly 100,
 * with 100 gapless event_seqs and a frame for each, in event_seq order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConversation, registerUser, registerUsers, sendMessage, type TestUser } from '../helpers/api-client.js';
import { enabledDialects } from '../helpers/dialects.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { socketPool, type Frame } from '../helpers/ws-client.js';

const N = 100;
const path = (messageId: string, emoji: string) => `/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

for (const dialect of enabledDialects()) {
  describe(`reactions under concurrency [${dialect}]`, () => {
    let server: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    const pool = socketPool(() => server.wsUrl);
    beforeAll(async () => {
      server = await startServer({ dialect, env: { RATE_LIMITS: 'off' } });
      [alice, bob] = await registerUsers(server.url, 'alice', 'bob');
    });
    afterAll(async () => {
      pool.closeAll();
      await server.close();
    });

    const reactionFrames = (messageId: string) => (f: Frame) => f.type?.startsWith('reaction.') && f.message_id === messageId;

    it(`stores ${N} identical PUTs sent at once as one reaction, one event and one frame`, async () => {
      const conversation = await createConversation(alice, [bob]);
      const message = await sendMessage(alice, conversation.id, 'hot');
      const watcher = await pool.open(alice);
      const statuses = await Promise.all(Array.from({ length: N }, () => bob.api.request('PUT', path(message.message_id, '👍'))));
      expect(statuses.map((r) => r.status)).toEqual(Array(N).fill(204));
      // A later change, whose frame arrives after any earlier one (frames come in event_seq order).
      expect((await alice.api.request('PUT', path(message.message_id, '🏁'))).status).toBe(204);
      await watcher.waitFor((f) => f.type === 'reaction.added' && f.emoji === '🏁');
      const frames = watcher.frames.filter(reactionFrames(message.message_id));
      expect(frames.map((f) => [f.emoji, f.user_id, f.count])).toEqual([
        ['👍', bob.user.id, 1],
        ['🏁', alice.user.id, 1],
      ]);
      const events = (await alice.api.get(`/conversations/${conversation.id}/events?after=0`)).body.events as Frame[];
      expect(events.filter((e) => e.type === 'reaction.added').map((e) => [e.emoji, e.user_id])).toEqual([
        ['👍', bob.user.id],
        ['🏁', alice.user.id],
      ]);
      expect(events.map((e) => e.event_seq)).toEqual([1, 2, 3, 4]);
      expect((await alice.api.get(`/messages/${message.message_id}/reactions`)).body.reactions).toEqual([
        { emoji: '👍', count: 1, user_ids: [bob.user.id] },
        { emoji: '🏁', count: 1, user_ids: [alice.user.id] },
      ]);
    });

    it(`counts ${N} members reacting at once exactly ${N}, with gapless event_seqs and a frame each`, async () => {
      const reactors: TestUser[] = [];
      for (let i = 0; i < N; i += 20) reactors.push(...(await Promise.all(Array.from({ length: 20 }, () => registerUser(server.url, 'r')))));
      const conversation = await createConversation(alice, reactors);
      const message = await sendMessage(alice, conversation.id, 'popular');
      const before = (await alice.api.get(`/conversations/${conversation.id}`)).body.last_event_seq as number;
      const watcher = await pool.open(alice);
      const statuses = await Promise.all(reactors.map((user) => user.api.request('PUT', path(message.message_id, '🔥'))));
      expect(statuses.map((r) => r.status)).toEqual(Array(N).fill(204));

      const frames = await watcher.waitForCount(reactionFrames(message.message_id), N, 30_000);
      expect(frames.map((f) => f.event_seq)).toEqual(Array.from({ length: N }, (_, i) => before + 1 + i));
      // Each frame carries the count right after its change: 1, 2, … 100 in event_seq order.
      expect(frames.map((f) => f.count)).toEqual(Array.from({ length: N }, (_, i) => i + 1));
      expect(new Set(frames.map((f) => f.user_id))).toEqual(new Set(reactors.map((r) => r.user.id)));

      const page = (await alice.api.get(`/conversations/${conversation.id}/events?after=${before}&limit=500`)).body;
      expect(page.events.map((e: Frame) => [e.type, e.event_seq])).toEqual(Array.from({ length: N }, (_, i) => ['reaction.added', before + 1 + i]));
      expect(page.last_event_seq).toBe(before + N);
      const history = (await alice.api.get(`/conversations/${conversation.id}/messages`)).body.messages;
      expect(history[0]).toMatchObject({ reactions: [{ emoji: '🔥', count: N }], version: before + N });
      const listed = (await alice.api.get(`/messages/${message.message_id}/reactions`)).body.reactions;
      expect(listed).toHaveLength(1);
      expect(listed[0].count).toBe(N);
      expect(new Set(listed[0].user_ids)).toEqual(new Set(reactors.map((r) => r.user.id)));
    }, 60_000);
  });
}
