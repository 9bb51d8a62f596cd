/**
 * markDeletedMany (a message removal's batch, docs/API.md "Administration"), run against the
 * in-memory fake and the SQL stores: every message of the batch deleted as markDeleted deletes
 * one, each its conversation's next event, across conversations; those already deleted or gone
 * are left out without taking an event_seq.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`Batch delete contract [${subject.name}]`, () => {
    const store = storeForSuite(subject);

    const { user, conversation, send } = storeFactories(() => store);
    const ref = (conversation_id: string, message_id: string) => ({ conversation_id, message_id });
    const lastEventSeq = async (c: string) => (await store.changeFeed.position(c))!.last_event_seq;

    it('deletes across conversations, each message its conversation’s next event, gapless', async () => {
      const [owner, member] = [await user(), await user()];
      const [c1, c2] = [await conversation(owner, [member]), await conversation(owner)];
      const ones = [await send(c1, member, 'a'), await send(c1, member, 'b'), await send(c1, owner, 'keep')];
      const twos = [await send(c2, owner, 'c')];
      const [before1, before2] = [await lastEventSeq(c1), await lastEventSeq(c2)];

      const deleted = await store.messages.markDeletedMany(
        [ref(c2, twos[0]!.message.message_id), ref(c1, ones[1]!.message.message_id), ref(c1, ones[0]!.message.message_id)],
        at(50),
        owner,
      );

      expect(deleted.map((m) => [m.conversation_id, m.seq, m.deleted, m.content]).sort()).toEqual(
        [
          [c1, 1, true, ''],
          [c1, 2, true, ''],
          [c2, 1, true, ''],
        ].sort(),
      );
      expect(await lastEventSeq(c1)).toBe(before1 + 2);
      expect(await lastEventSeq(c2)).toBe(before2 + 1);
      // Within a conversation in seq order, so the feed reads them as they were sent.
      const events = (await store.changeFeed.eventsAfter(c1, before1, 10)).events;
      expect(events.map((e) => [e.event_seq, e.type, e.actor_id, e.created_at])).toEqual([
        [before1 + 1, 'message.deleted', owner, at(50)],
        [before1 + 2, 'message.deleted', owner, at(50)],
      ]);
      expect(deleted.find((m) => m.seq === 2 && m.conversation_id === c1)?.version).toBe(before1 + 2);
      expect((await store.messages.history(c1, { limit: 10 })).messages.map((m) => [m.seq, m.deleted])).toEqual([
        [1, true],
        [2, true],
        [3, false],
      ]);
    });

    it('leaves out messages already deleted, unknown or named with the wrong conversation, and takes no event_seq for them', async () => {
      const owner = await user();
      const [c, other] = [await conversation(owner), await conversation(owner)];
      const gone = await send(c, owner, 'gone');
      const live = await send(c, owner, 'live');
      await store.messages.markDeleted(ref(c, gone.message.message_id), at(10), owner);
      const before = await lastEventSeq(c);

      const deleted = await store.messages.markDeletedMany(
        [ref(c, gone.message.message_id), ref(c, randomUUID()), ref(other, live.message.message_id), ref(randomUUID(), randomUUID())],
        at(20),
        owner,
      );
      expect(deleted).toEqual([]);
      expect(await lastEventSeq(c)).toBe(before);

      expect((await store.messages.markDeletedMany([ref(c, live.message.message_id)], at(21), owner)).map((m) => m.seq)).toEqual([2]);
      expect(await lastEventSeq(c)).toBe(before + 1);
      expect(await store.messages.markDeletedMany([], at(22), owner)).toEqual([]);
    });

    it('removes the reactions and the pin with each message, as markDeleted does', async () => {
      const owner = await user();
      const c = await conversation(owner);
      const sent = (await send(c, owner, 'pinned')).message;
      const message = ref(c, sent.message_id);
      await store.reactions.add({ message, user_id: owner, emoji: '👍', at: at(2) }, 20);
      await store.pins.pin({ message, user_id: owner, at: at(3) }, 50);

      const [deleted] = await store.messages.markDeletedMany([message], at(4), owner);
      expect(deleted).toMatchObject({ seq: sent.seq, deleted: true, reactions: [] });
      expect(await store.pins.list(c)).toEqual([]);
    });
  });
}
