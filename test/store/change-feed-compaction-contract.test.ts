/**
 * The change feed's compaction contract, against the in-memory fake and the SQL stores:
 * `compact(cutoff)` raises each conversation's pruned_event_seq to its highest event_seq dated
 * before the cutoff (never lowering it) and removes every event up to there, across
 * conversations, so a client position older than what is kept is recognised (docs/API.md,
 * "Change feed"). Each case opens its own store: compaction touches every conversation in it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { at, storeFactories, storeSubjects } from '../helpers/store-subjects.js';

/** An instant in 2000: before anything the store stamps itself (sends), and before at(). */
const old = (second: number) => new Date(Date.UTC(2000, 0, 1, 0, 0, second)).toISOString();
const IN_2001 = '2001-01-01T00:00:00.000Z';
const FUTURE = '2100-01-01T00:00:00.000Z';

for (const subject of storeSubjects) {
  describe(`Change feed compaction contract [${subject.name}]`, () => {
    const opened: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const close of opened.splice(0)) await close();
    });

    async function freshStore() {
      const { store, close } = await subject.open();
      opened.push(close);
      const seqs = async (c: string, after = 0) => (await store.changeFeed.eventsAfter(c, after, 500)).events.map((e) => e.event_seq);
      return { store, seqs, ...storeFactories(() => store) };
    }

    it('removes the events created before the cutoff and raises pruned_event_seq to the highest removed', async () => {
      const { store, seqs, user, conversation, send } = await freshStore();
      const [owner, a, b] = [await user(), await user(), await user()];
      const c = await conversation(owner, [a], old(0));
      await store.conversations.addMember(c, b, old(5), owner);
      await send(c, owner);
      const recent = await conversation(owner, [], at(0));

      expect(await store.changeFeed.compact(IN_2001)).toBe(2);
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 3, pruned_event_seq: 2 });
      expect(await seqs(c)).toEqual([3]);
      expect((await store.changeFeed.positionsForUser(owner)).get(c)).toEqual({ last_event_seq: 3, pruned_event_seq: 2 });
      // A conversation with nothing before the cutoff keeps everything.
      expect(await store.changeFeed.position(recent)).toEqual({ last_event_seq: 1, pruned_event_seq: 0 });
      expect(await seqs(recent)).toEqual([1]);
    });

    it('with a cutoff in the future removes every event; pruned_event_seq becomes last_event_seq and new events follow it', async () => {
      const { store, seqs, user, conversation, send } = await freshStore();
      const [owner, a, b] = [await user(), await user(), await user()];
      const c = await conversation(owner, [a]);
      const sent = await send(c, a);
      await store.messages.edit({ conversation_id: c, message_id: sent.message.message_id }, 'y', at(1), a);
      await store.conversations.addMember(c, b, at(2), owner);
      await store.conversations.removeMember(c, owner, owner, at(3));
      const other = await conversation(b);

      expect(await store.changeFeed.compact(FUTURE)).toBe(7);
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 6, pruned_event_seq: 6 });
      expect(await store.changeFeed.position(other)).toEqual({ last_event_seq: 1, pruned_event_seq: 1 });
      expect(await seqs(c)).toEqual([]);

      // The feed goes on from where it was; the removed positions are not reused.
      expect((await send(c, b)).message.version).toBe(7);
      expect(await store.changeFeed.eventsAfter(c, 6, 10)).toMatchObject({ events: [{ event_seq: 7, type: 'message.created', actor_id: b }], has_more: false });
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 7, pruned_event_seq: 6 });
      // The state of what removed events changed is still there, in the snapshot.
      expect(await store.changeFeed.snapshot(c, 10, a)).toMatchObject({
        conversation: { last_event_seq: 7, members: [{ user_id: a, role: 'owner' }, { user_id: b }] },
        messages: [{ seq: 1, content: 'y', version: 3 }, { seq: 2, version: 7 }],
      });
    });

    it('is harmless twice, and an earlier cutoff afterwards removes nothing', async () => {
      const { store, seqs, user, conversation, send } = await freshStore();
      const owner = await user();
      const c = await conversation(owner);
      await send(c, owner);
      expect(await store.changeFeed.compact(FUTURE)).toBe(2);
      expect(await store.changeFeed.compact(FUTURE)).toBe(0);
      expect(await store.changeFeed.compact(IN_2001)).toBe(0);
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 2, pruned_event_seq: 2 });
      await send(c, owner);
      expect(await store.changeFeed.compact(IN_2001)).toBe(0);
      expect(await seqs(c, 2)).toEqual([3]);
    });

    it('removes the whole prefix up to the newest event dated before the cutoff: what is kept is exactly what follows pruned_event_seq', async () => {
      const { store, seqs, user, conversation, send } = await freshStore();
      const [owner, a] = [await user(), await user()];
      // Event 1 dated 2000-01-01T00:00:10, event 2 now (stamped by the store), event 3 dated ten seconds before event 1.
      const c = await conversation(owner, [], old(10));
      await send(c, owner);
      await store.conversations.addMember(c, a, old(0), owner);

      expect(await store.changeFeed.compact(old(5))).toBe(3);
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 3, pruned_event_seq: 3 });
      expect(await seqs(c)).toEqual([]);
      expect(await store.changeFeed.compact(IN_2001)).toBe(0);
      expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 3, pruned_event_seq: 3 });
    });
  });
}
