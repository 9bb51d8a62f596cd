/**
 * The change feed's contract (docs/API.md, "Change feed"; migration 0002), run against the
 * in-memory fake and the SQL stores: every change to a conversation gets its next event_seq,
 * gapless across kinds; the log serves each event with the current state of what it changed;
 * user-scoped changes move the user's user_seq. Compaction: change-feed-compaction-contract.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`Change feed contract [${subject.name}]`, () => {
    const store = storeForSuite(subject);

    const { user, conversation, send } = storeFactories(() => store);
    const ref = (conversation_id: string, message_id: string) => ({ conversation_id, message_id });
    const log = async (c: string, after = 0) => (await store.changeFeed.eventsAfter(c, after, 500)).events;
    const lastEventSeq = async (c: string) => (await store.changeFeed.position(c))?.last_event_seq;

    describe('event_seq', () => {
      it('numbers every change 1, 2, 3, … without gaps across kinds, starting with conversation.created', async () => {
        const [owner, a, b] = [await user(), await user(), await user()];
        const c = randomUUID();
        const created = await store.conversations.create({ id: c, title: 't', created_by: owner, created_at: at(0), member_ids: [a] });
        expect(created.conversation).toMatchObject({ id: c, last_event_seq: 1 });
        const first = await send(c, owner, 'one');
        const second = await send(c, a, 'two');
        expect((await store.messages.edit(ref(c, first.message.message_id), 'one!', at(3), owner))?.version).toBe(4);
        expect((await store.messages.markDeleted(ref(c, second.message.message_id), at(4), a))?.version).toBe(5);
        expect(await store.conversations.addMember(c, b, at(5), owner)).toMatchObject({ added: true, event_seq: 6 });
        expect(await store.conversations.rename(c, 'renamed', owner, at(6))).toMatchObject({ event_seq: 7, conversation: { last_event_seq: 7 } });
        // The last owner leaves: the longest-standing member (a, joined at creation) takes over.
        expect(await store.conversations.removeMember(c, owner, owner, at(7))).toMatchObject({
          event_seq: 8,
          promoted: { event_seq: 9, member: { user_id: a, role: 'owner' } },
        });
        expect((await send(c, b, 'three')).message.version).toBe(10);

        expect((await log(c)).map((e) => [e.event_seq, e.type, e.actor_id])).toEqual([
          [1, 'conversation.created', owner],
          [2, 'message.created', owner],
          [3, 'message.created', a],
          [4, 'message.edited', owner],
          [5, 'message.deleted', a],
          [6, 'member.added', owner],
          [7, 'conversation.updated', owner],
          [8, 'member.removed', owner],
          [9, 'member.updated', null],
          [10, 'message.created', b],
        ]);
        expect(await store.changeFeed.position(c)).toEqual({ last_event_seq: 10, pruned_event_seq: 0 });
        expect(await store.conversations.findById(c)).toMatchObject({ last_event_seq: 10, last_seq: 3 });
      });

      it("dates each event at its change: the caller's time, or the message's created_at for a send", async () => {
        const [owner, a] = [await user(), await user()];
        const c = await conversation(owner, [], at(1));
        const sent = await send(c, owner);
        await store.messages.edit(ref(c, sent.message.message_id), 'y', at(3), owner);
        await store.conversations.addMember(c, a, at(4), owner);
        await store.conversations.rename(c, 'new', owner, at(5));
        await store.messages.markDeleted(ref(c, sent.message.message_id), at(6), owner);
        await store.conversations.removeMember(c, a, owner, at(7));
        expect((await log(c)).map((e) => e.created_at)).toEqual([at(1), sent.message.created_at, at(3), at(4), at(5), at(6), at(7)]);
      });

      it('counts each conversation on its own', async () => {
        const owner = await user();
        const [c1, c2] = [await conversation(owner), await conversation(owner)];
        await send(c1, owner);
        await send(c1, owner);
        expect((await send(c2, owner)).message.version).toBe(2);
        expect([await lastEventSeq(c1), await lastEventSeq(c2)]).toEqual([3, 2]);
      });

      it('logs nothing for changes that change nothing', async () => {
        const [owner, a, outsider] = [await user(), await user(), await user()];
        const c = await conversation(owner, [a]);
        const sent = await send(c, owner, 'x');
        await store.messages.markDeleted(ref(c, sent.message.message_id), at(2), owner);
        const before = await lastEventSeq(c);
        expect(before).toBe(3);
        expect((await send(c, owner, 'x', sent.message.message_id)).kind).toBe('existing');
        expect(await store.conversations.addMember(c, a, at(3), owner)).toMatchObject({ added: false });
        expect(await store.conversations.removeMember(c, outsider, owner, at(3))).toBeNull();
        expect(await store.conversations.rename(c, 't', owner, at(3))).toMatchObject({ event_seq: null, conversation: { title: 't', last_event_seq: 3 } });
        expect(await store.messages.edit(ref(c, sent.message.message_id), 'again', at(3), owner)).toBeNull();
        expect(await store.messages.markDeleted(ref(c, sent.message.message_id), at(3), owner)).toBeNull();
        // A reference naming another conversation finds no message there, so no event is logged in either.
        const elsewhere = await conversation(owner);
        const live = await send(c, owner);
        expect(await store.messages.edit(ref(elsewhere, live.message.message_id), 'no', at(3), owner)).toBeNull();
        expect(await store.messages.markDeleted(ref(elsewhere, live.message.message_id), at(3), owner)).toBeNull();
        expect(await lastEventSeq(elsewhere)).toBe(1);
        expect(await store.messages.findById(live.message.message_id)).toEqual(live.message);
        // Read positions are not conversation events (docs/API.md, "Events").
        expect(await store.conversations.advanceReadSeq(c, a, 2)).toMatchObject({ seq: 2 });
        expect(await lastEventSeq(c)).toBe(before! + 1);
        expect((await log(c)).map((e) => e.event_seq)).toEqual([1, 2, 3, 4]);
      });

      it('rename: sets the title and answers the conversation; an unknown conversation answers null', async () => {
        const owner = await user();
        const c = await conversation(owner);
        const renamed = await store.conversations.rename(c, 'Plans', owner, at(1));
        expect(renamed).toEqual({ event_seq: 2, conversation: await store.conversations.findById(c) });
        expect(renamed?.conversation).toMatchObject({ title: 'Plans', last_event_seq: 2 });
        expect(await store.conversations.rename(randomUUID(), 'x', owner, at(1))).toBeNull();
      });
    });

    describe('message version', () => {
      it("is the event_seq of the message's last change, wherever the message is read", async () => {
        const [owner, a] = [await user(), await user()];
        const c = await conversation(owner, [a]);
        const sent = await send(c, a, 'hi');
        expect(sent.message.version).toBe(2);
        await store.conversations.addMember(c, await user(), at(1), owner);
        const edited = await store.messages.edit(ref(c, sent.message.message_id), 'hi!', at(2), a);
        expect(edited).toMatchObject({ content: 'hi!', edited_at: at(2), version: 4, seq: 1 });
        expect(await store.messages.findById(sent.message.message_id)).toEqual(edited);
        const deleted = await store.messages.markDeleted(ref(c, sent.message.message_id), at(3), owner);
        expect(deleted).toMatchObject({ deleted: true, content: '', version: 5, seq: 1 });
        expect((await store.messages.history(c, { limit: 10 })).messages).toEqual([deleted]);
        expect((await send(c, a, 'other', sent.message.message_id)).message).toEqual(deleted);
      });
    });

    describe('eventsAfter', () => {
      it('pages ascending: at most limit events, has_more while more follow, an empty page at or beyond the end', async () => {
        const owner = await user();
        const c = await conversation(owner);
        for (let i = 0; i < 4; i++) await send(c, owner);
        const page = async (after: number, limit: number) => {
          const { events, has_more } = await store.changeFeed.eventsAfter(c, after, limit);
          return [events.map((e) => e.event_seq), has_more];
        };
        expect(await page(0, 2)).toEqual([[1, 2], true]);
        expect(await page(2, 2)).toEqual([[3, 4], true]);
        expect(await page(3, 2)).toEqual([[4, 5], false]);
        expect(await page(4, 2)).toEqual([[5], false]);
        expect(await page(5, 2)).toEqual([[], false]);
        expect(await page(1000, 2)).toEqual([[], false]);
        expect(await store.changeFeed.eventsAfter(randomUUID(), 0, 10)).toEqual({ events: [], has_more: false });
      });

      it('eventsAfterEach answers each conversation as eventsAfter would, in one call', async () => {
        const [owner, a] = [await user(), await user()];
        const busy = await conversation(owner, [a], at(0));
        for (let i = 0; i < 5; i++) await send(busy, i % 2 ? a : owner);
        await store.conversations.rename(busy, 'renamed', owner, at(9));
        const quiet = await conversation(a, [owner], at(0));
        await send(quiet, a);
        const unknown = randomUUID();
        const asked: Array<[string, number]> = [
          [busy, 0],
          [quiet, 1],
          [unknown, 0],
        ];
        for (const limit of [1, 3, 7, 50]) {
          const pages = await store.changeFeed.eventsAfterEach(asked, limit);
          expect([...pages.keys()].sort()).toEqual([busy, quiet, unknown].sort());
          for (const [c, after] of asked) expect(pages.get(c), `${c} after ${after} limit ${limit}`).toEqual(await store.changeFeed.eventsAfter(c, after, limit));
        }
        const pages = await store.changeFeed.eventsAfterEach(asked, 3);
        expect(pages.get(busy)!.events.map((e) => e.event_seq)).toEqual([1, 2, 3]);
        expect(pages.get(busy)!.has_more).toBe(true);
        expect(pages.get(quiet)).toMatchObject({ events: [{ event_seq: 2, type: 'message.created' }], has_more: false });
        expect(pages.get(unknown)).toEqual({ events: [], has_more: false });
        // The rename's event carries the conversation as it is now.
        const all = (await store.changeFeed.eventsAfterEach([[busy, 6]], 10)).get(busy)!.events;
        expect(all).toMatchObject([{ event_seq: 7, type: 'conversation.updated', conversation: { id: busy, title: 'renamed', last_event_seq: 7 } }]);
        expect(await store.changeFeed.eventsAfterEach([], 10)).toEqual(new Map());
      });

      it('carries the current state of what each event changed', async () => {
        const [owner, a, b] = [await user(), await user(), await user()];
        const c = await conversation(owner, [a], at(0));
        const sent = await send(c, a, 'hello');
        await store.messages.edit(ref(c, sent.message.message_id), 'hello!', at(2), a);
        await store.messages.markDeleted(ref(c, sent.message.message_id), at(3), owner);
        await store.conversations.addMember(c, b, at(4), owner);
        await store.conversations.removeMember(c, b, owner, at(5));
        await store.conversations.rename(c, 'later title', owner, at(6));
        await store.conversations.advanceReadSeq(c, a, 1);
        await store.conversations.removeMember(c, owner, owner, at(7));

        const current = await store.conversations.findById(c);
        const message = await store.messages.findById(sent.message.message_id);
        const memberA = current!.members.find((m) => m.user_id === a);
        expect(memberA).toMatchObject({ role: 'owner', last_read_seq: 1 });
        const head = (event_seq: number, actor_id: string | null, created_at: string) => ({ event_seq, conversation_id: c, actor_id, created_at });
        expect(await log(c)).toEqual([
          { ...head(1, owner, at(0)), type: 'conversation.created', conversation: current },
          { ...head(2, a, sent.message.created_at), type: 'message.created', message },
          { ...head(3, a, at(2)), type: 'message.edited', message },
          { ...head(4, owner, at(3)), type: 'message.deleted', message },
          { ...head(5, owner, at(4)), type: 'member.added', user_id: b, member: null },
          { ...head(6, owner, at(5)), type: 'member.removed', user_id: b, member: null },
          { ...head(7, owner, at(6)), type: 'conversation.updated', conversation: current },
          { ...head(8, owner, at(7)), type: 'member.removed', user_id: owner, member: null },
          { ...head(9, null, at(7)), type: 'member.updated', user_id: a, member: memberA },
        ]);
        expect(message).toMatchObject({ deleted: true, version: 4 });
        expect(current).toMatchObject({ title: 'later title', last_event_seq: 9 });
      });

      it('shows a member added and still there as the member is now', async () => {
        const [owner, a] = [await user(), await user()];
        const c = await conversation(owner);
        await store.conversations.addMember(c, a, at(1), owner);
        await send(c, owner);
        await store.conversations.advanceReadSeq(c, a, 1);
        const [added] = await log(c, 1);
        expect(added).toMatchObject({ type: 'member.added', user_id: a, member: { user_id: a, role: 'member', joined_at: at(1), last_read_seq: 1 } });
      });
    });

    describe('positions', () => {
      it('positionsForUser: every conversation the user belongs to, with its last and pruned event_seq', async () => {
        const [me, other] = [await user(), await user()];
        const mine = await conversation(me);
        const shared = await conversation(other, [me]);
        const left = await conversation(other, [me]);
        await conversation(other);
        await send(shared, other);
        await store.conversations.removeMember(left, me, me, at(1));
        expect(await store.changeFeed.positionsForUser(me)).toEqual(
          new Map([
            [mine, { last_event_seq: 1, pruned_event_seq: 0 }],
            [shared, { last_event_seq: 2, pruned_event_seq: 0 }],
          ]),
        );
        const seqs = await store.conversations.lastEventSeqsForUser(me);
        expect(seqs.sort((x, y) => x.last_event_seq - y.last_event_seq)).toEqual([
          { conversation_id: mine, last_event_seq: 1 },
          { conversation_id: shared, last_event_seq: 2 },
        ]);
        expect(await store.changeFeed.positionsForUser(randomUUID())).toEqual(new Map());
        expect(await store.changeFeed.position(left)).toEqual({ last_event_seq: 2, pruned_event_seq: 0 });
        expect(await store.changeFeed.position(randomUUID())).toBeNull();
      });

      it("readPositions: every member's last_read_seq, per conversation", async () => {
        const [owner, a, b] = [await user(), await user(), await user()];
        const c1 = await conversation(owner, [a, b]);
        const c2 = await conversation(a);
        await send(c1, owner);
        await send(c1, owner);
        await send(c2, a);
        await store.conversations.advanceReadSeq(c1, a, 2);
        await store.conversations.advanceReadSeq(c1, b, 1);
        await store.conversations.advanceReadSeq(c2, a, 1);
        await store.conversations.removeMember(c1, b, b, at(1));
        const positions = await store.changeFeed.readPositions([c1, c2]);
        // In no particular order: compared as sets.
        expect(positions.get(c1)).toHaveLength(2);
        expect(positions.get(c1)).toEqual(expect.arrayContaining([{ user_id: owner, last_read_seq: 0 }, { user_id: a, last_read_seq: 2 }]));
        expect(positions.get(c2)).toEqual([{ user_id: a, last_read_seq: 1 }]);
      });
    });

    describe('user_seq', () => {
      it("moves by one for each conversation joined or left and each read move of the user's, and not otherwise", async () => {
        const [owner, a, b] = [await user(), await user(), await user()];
        const seqs = async () => [await store.changeFeed.userSeq(owner), await store.changeFeed.userSeq(a), await store.changeFeed.userSeq(b)];
        expect(await seqs()).toEqual([0, 0, 0]);
        const c = randomUUID();
        const created = await store.conversations.create({ id: c, title: 't', created_by: owner, created_at: at(0), member_ids: [a] });
        expect(created.user_seqs).toEqual({ [owner]: 1, [a]: 1 });
        const sent = await send(c, owner);
        await store.messages.edit(ref(c, sent.message.message_id), 'y', at(1), owner);
        await store.messages.markDeleted(ref(c, sent.message.message_id), at(2), owner);
        await store.conversations.rename(c, 'other', owner, at(3));
        await send(c, a);
        expect(await seqs()).toEqual([1, 1, 0]);

        expect(await store.conversations.addMember(c, b, at(4), a)).toMatchObject({ added: true, user_seq: 1 });
        expect(await store.conversations.addMember(c, b, at(5), a)).toMatchObject({ added: false });
        expect(await store.conversations.advanceReadSeq(c, a, 2)).toEqual({ seq: 2, user_seq: 2 });
        expect(await store.conversations.advanceReadSeq(c, a, 2)).toBeNull();
        expect(await seqs()).toEqual([1, 2, 1]);

        expect(await store.conversations.removeMember(c, b, owner, at(6))).toMatchObject({ user_seq: 2, promoted: null });
        expect(await store.conversations.removeMember(c, b, owner, at(7))).toBeNull();
        // The owner leaves and a is promoted: a conversation event, not a user-scoped one for a.
        expect(await store.conversations.removeMember(c, owner, owner, at(8))).toMatchObject({ user_seq: 2, promoted: { member: { user_id: a } } });
        expect(await seqs()).toEqual([2, 2, 2]);
      });
    });

    describe('snapshot', () => {
      it('is the conversation with its members and last_event_seq, and its latest messages ascending', async () => {
        const [owner, a] = [await user(), await user()];
        const c = await conversation(owner, [a]);
        const sent: string[] = [];
        for (let i = 1; i <= 5; i++) sent.push((await send(c, i % 2 ? owner : a, `m${i}`)).message.message_id);
        await store.messages.markDeleted(ref(c, sent[3]!), at(1), a);
        await store.conversations.advanceReadSeq(c, a, 3);
        const conversationNow = await store.conversations.findById(c);
        const history = (await store.messages.history(c, { limit: 10, viewer: owner })).messages;

        expect(await store.changeFeed.snapshot(c, 3, owner)).toEqual({ conversation: conversationNow, messages: history.slice(2), has_more_messages: true, pins: [] });
        expect(conversationNow).toMatchObject({ last_event_seq: 7, last_seq: 5 });
        expect(history.map((m) => [m.seq, m.deleted])).toEqual([[1, false], [2, false], [3, false], [4, true], [5, false]]);
        expect(await store.changeFeed.snapshot(c, 5, owner)).toMatchObject({ messages: history, has_more_messages: false });
        expect(await store.changeFeed.snapshot(c, 0, owner)).toMatchObject({ messages: [], has_more_messages: true });
        expect(await store.changeFeed.snapshot(randomUUID(), 10, owner)).toBeNull();
      });

      it('of a conversation without messages has none and no more', async () => {
        const owner = await user();
        const c = await conversation(owner);
        expect(await store.changeFeed.snapshot(c, 50, owner)).toEqual({ conversation: await store.conversations.findById(c), messages: [], has_more_messages: false, pins: [] });
      });
    });
  });
}
