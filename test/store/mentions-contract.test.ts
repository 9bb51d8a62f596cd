/**
 * Mentions in the Store port (migration 0007), against the in-memory fake and each SQL store:
 * a send's mentions stored with it (one at a time and in group-committed batches), the same in
 * every read (history objects and JSON, findById, change feed), and `unread_mentions` counted
 * from them: by others, above the read position, not deleted, @all once for everyone but its
 * sender, replaced by an edit and removed by a deletion.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageMentions } from '../../src/domain/ports/repositories.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

const named = (...ids: string[]): MessageMentions => ({ mentions: ids, mentions_all: false });
const everyone = (...ids: string[]): MessageMentions => ({ mentions: ids, mentions_all: true });

for (const subject of storeSubjects) {
  describe(`mentions in the store [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation } = storeFactories(() => store);

    const send = (c: string, sender: string, mentions?: MessageMentions, content = 'x') =>
      store.messages.append({ message_id: randomUUID(), conversation_id: c, sender_id: sender, content, ...(mentions ? { mentions } : {}) });
    const unreadMentions = async (userId: string, c: string) =>
      (await store.conversations.listForUser(userId, 100, undefined)).conversations.find((s) => s.id === c)!.unread_mentions;

    async function arrange() {
      const [a, b, d] = [await user(), await user(), await user()];
      return { a, b, d, c: await conversation(a, [b, d]) };
    }

    it('stores the mentions with the message and gives them back in every read', async () => {
      const { a, b, d, c } = await arrange();
      const first = (await send(c, a, named(d, b))).message;
      const second = (await send(c, a, everyone(b))).message;
      const plain = (await send(c, a)).message;
      expect([first, second, plain].map((m) => [m.mentions, m.mentions_all])).toEqual([[[d, b], false], [[b], true], [[], false]]);
      const history = await store.messages.history(c, { limit: 10 });
      expect(history.messages).toEqual([first, second, plain]);
      expect(JSON.stringify(JSON.parse((await store.messages.historyJson(c, { limit: 10 })).messages_json))).toBe(JSON.stringify(history.messages));
      expect(await store.messages.findById(first.message_id)).toEqual(first);
      const events = await store.changeFeed.eventsAfter(c, 0, 10);
      expect(events.events.flatMap((e) => ('message' in e ? [e.message] : []))).toEqual([first, second, plain]);
    });

    it('stores the mentions of concurrent sends committed together', async () => {
      const { a, b, d, c } = await arrange();
      const results = await Promise.all(Array.from({ length: 16 }, (_, i) => send(c, i % 2 ? a : b, i % 4 === 0 ? named(d) : i % 4 === 1 ? everyone() : undefined)));
      results.forEach(({ message }, i) => {
        expect({ i, mentions: message.mentions, all: message.mentions_all }).toEqual({ i, mentions: i % 4 === 0 ? [d] : [], all: i % 4 === 1 });
      });
      expect(JSON.stringify(JSON.parse((await store.messages.historyJson(c, { limit: 20 })).messages_json))).toBe(JSON.stringify((await store.messages.history(c, { limit: 20 })).messages));
      // d: 4 named + 4 @all; a: the @all ones are all a's own; b: the 4 @all by a.
      expect(await unreadMentions(d, c)).toBe(8);
      expect(await unreadMentions(a, c)).toBe(0);
      expect(await unreadMentions(b, c)).toBe(4);
    });

    it('counts mentions by others above the read position: named once each, @all for all but its sender, never your own', async () => {
      const { a, b, d, c } = await arrange();
      await send(c, a, named(b));
      await send(c, a, everyone(b));
      await send(c, b, named(b, a));
      await send(c, d, named(a));
      expect(await unreadMentions(b, c)).toBe(2);
      expect(await unreadMentions(a, c)).toBe(2);
      expect(await unreadMentions(d, c)).toBe(1);
      await store.conversations.advanceReadSeq(c, b, 1);
      expect(await unreadMentions(b, c)).toBe(1);
      const position = { id: c, last_seq: 4, last_read_seq: 0 };
      expect(await store.changeFeed.unreadMentions(d, position)).toBe(1);
      expect(await store.changeFeed.unreadMentions(a, { ...position, last_seq: 3 })).toBe(1);
    });

    it('replaces the mentions on edit and removes them on deletion', async () => {
      const { a, b, d, c } = await arrange();
      const sent = (await send(c, a, named(b))).message;
      const ref = { message_id: sent.message_id, conversation_id: c };
      expect(await unreadMentions(b, c)).toBe(1);
      expect(await store.messages.edit(ref, 'y', at(1), a, named(d))).toMatchObject({ mentions: [d], mentions_all: false });
      expect([await unreadMentions(b, c), await unreadMentions(d, c)]).toEqual([0, 1]);
      expect(await store.messages.edit(ref, 'z', at(2), a, everyone())).toMatchObject({ mentions: [], mentions_all: true });
      expect([await unreadMentions(b, c), await unreadMentions(d, c), await unreadMentions(a, c)]).toEqual([1, 1, 0]);
      expect(await store.messages.markDeleted(ref, at(3), a)).toMatchObject({ deleted: true, mentions: [], mentions_all: false });
      expect([await unreadMentions(b, c), await unreadMentions(d, c)]).toEqual([0, 0]);
      expect(await store.messages.findById(sent.message_id)).toMatchObject({ mentions: [], mentions_all: false });
    });

    it('resolves usernames to ids ignoring case, only for users that exist', async () => {
      const name = `Mixed${randomUUID().slice(0, 6)}`;
      const id = await user(name);
      const found = await store.users.idsByUsernameKeys([name.toLowerCase(), 'nobody-here']);
      expect([...found]).toEqual([[name.toLowerCase(), id]]);
    });
  });
}
