/**
 * ThreadRepository and the reply fields every Message carries, on each SQL store (the in-memory
 * fake does not model threads): a reply takes the conversation's next seq, a thread reply two
 * event_seqs (its own and the root's), refusals roll back everything, a message_id already
 * stored answers with it, replies written concurrently with plain sends (the group-commit path)
 * keep seqs and event_seqs gapless and the count exact; the JSON pages (history, thread) equal
 * the objects; the change feed carries thread.updated with the root as it is now; read
 * positions only move forward; following.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { NewReply } from '../../src/domain/ports/repositories.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects.filter((s) => s.name !== 'in-memory fake')) {
  describe(`ThreadRepository [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation, send } = storeFactories(() => store);

    async function arrange() {
      const [alice, bob] = [await user(), await user()];
      const c = await conversation(alice, [bob]);
      const { message: root } = await send(c, alice, 'root');
      const reply = (sender: string, fields: Partial<NewReply> = {}): NewReply => ({
        message_id: randomUUID(),
        conversation_id: c,
        sender_id: sender,
        content: 'reply',
        reply_to_id: null,
        thread_root_id: root.message_id,
        ...fields,
      });
      const position = async () => (await store.changeFeed.position(c))!.last_event_seq;
      return { alice, bob, c, root, reply, position };
    }

    it('stores a thread reply with the next seq and event_seq and updates the root as the event after it', async () => {
      const { bob, c, root, reply, position } = await arrange();
      const before = await position();
      const outcome = await store.threads.appendReply(reply(bob));
      if (outcome.kind !== 'created') throw new Error(outcome.kind);
      expect(outcome.message).toMatchObject({ seq: 2, version: before + 1, thread_root_id: root.message_id, reply_to_id: null, thread: null, reactions: [] });
      expect(outcome.root).toEqual({ ...root, version: before + 2, thread: { reply_count: 1, last_reply_at: outcome.message.created_at, last_reply_id: outcome.message.message_id } });
      expect(await store.messages.findById(root.message_id)).toEqual(outcome.root);
      expect(await position()).toBe(before + 2);
      const events = (await store.changeFeed.eventsAfter(c, before, 10)).events;
      expect(events.map((e) => e.type)).toEqual(['message.created', 'thread.updated']);
      expect(events[1]).toMatchObject({ event_seq: before + 2, message: outcome.root });
      const history = await store.messages.history(c, { limit: 10 });
      expect(JSON.parse((await store.messages.historyJson(c, { limit: 10 })).messages_json)).toEqual(history.messages);
      expect(JSON.stringify(JSON.parse((await store.messages.historyJson(c, { limit: 10 })).messages_json))).toBe(JSON.stringify(history.messages));
      const page = await store.threads.pageJson(root.message_id, { limit: 10 });
      expect(page.has_more).toBe(false);
      expect(JSON.stringify(JSON.parse(page.messages_json))).toBe(JSON.stringify([outcome.message]));
    });

    it('refuses, changing nothing: unknown or foreign root or quote, a nested thread, a deleted root or quote', async () => {
      const { alice, bob, c, root, reply, position } = await arrange();
      const other = await conversation(alice, [bob]);
      const { message: foreign } = await send(other, alice, 'elsewhere');
      const first = await store.threads.appendReply(reply(bob));
      if (first.kind !== 'created') throw new Error(first.kind);
      const { message: doomed } = await send(c, alice, 'doomed');
      await store.messages.markDeleted(doomed, at(3), alice);
      const before = await position();
      const cases: [Partial<NewReply>, string][] = [
        [{ thread_root_id: randomUUID() }, 'root_unknown'],
        [{ thread_root_id: foreign.message_id }, 'root_unknown'],
        [{ thread_root_id: first.message.message_id }, 'root_nested'],
        [{ thread_root_id: doomed.message_id }, 'root_deleted'],
        [{ thread_root_id: null, reply_to_id: randomUUID() }, 'target_unknown'],
        [{ thread_root_id: null, reply_to_id: foreign.message_id }, 'target_unknown'],
        [{ thread_root_id: null, reply_to_id: doomed.message_id }, 'target_deleted'],
      ];
      for (const [fields, reason] of cases) expect(await store.threads.appendReply(reply(bob, fields))).toEqual({ kind: 'refused', reason });
      expect(await position()).toBe(before);
      expect((await store.conversations.findById(c))!.last_seq).toBe(3);
      expect((await store.messages.findById(root.message_id))!.thread!.reply_count).toBe(1);
    });

    it('answers a message_id already stored with that message, by either path', async () => {
      const { bob, c, reply, position } = await arrange();
      const first = reply(bob);
      const created = await store.threads.appendReply(first);
      const before = await position();
      expect(await store.threads.appendReply(first)).toEqual({ kind: 'existing', message: created.kind === 'created' ? created.message : null });
      const { message: plain } = await send(c, bob, 'plain');
      expect(await store.threads.appendReply({ ...first, message_id: plain.message_id })).toEqual({ kind: 'existing', message: plain });
      expect(await send(c, bob, 'reply', first.message_id)).toMatchObject({ kind: 'existing', message: { thread_root_id: first.thread_root_id } });
      expect(await position()).toBe(before + 1);
    });

    it('counts replies written concurrently with plain sends exactly, seqs and event_seqs gapless', async () => {
      const { alice, bob, c, root, reply, position } = await arrange();
      const before = await position();
      const outcomes = await Promise.all([
        ...Array.from({ length: 30 }, (_, i) => store.threads.appendReply(reply(i % 2 ? alice : bob))),
        ...Array.from({ length: 20 }, () => send(c, alice, 'plain')),
      ]);
      expect(outcomes.every((o) => o.kind === 'created')).toBe(true);
      expect((await store.messages.findById(root.message_id))!.thread!.reply_count).toBe(30);
      const history = await store.messages.history(c, { limit: 100 });
      expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: 51 }, (_, i) => i + 1));
      const events = (await store.changeFeed.eventsAfter(c, before, 200)).events;
      expect(events.map((e) => e.event_seq)).toEqual(Array.from({ length: 80 }, (_, i) => before + 1 + i));
      const created = history.messages.filter((m) => m.thread_root_id !== null).map((m) => m.created_at);
      expect([...created].sort()).toEqual(created);
    });

    it('keeps read positions forward-only and capped at the last reply, follows posters and the root author', async () => {
      const { alice, bob, root, reply } = await arrange();
      const ref = { message_id: root.message_id, conversation_id: root.conversation_id };
      const r1 = await store.threads.appendReply(reply(bob));
      const r2 = await store.threads.appendReply(reply(bob));
      if (r1.kind !== 'created' || r2.kind !== 'created') throw new Error('not created');
      expect(await store.threads.followed(alice, 10)).toEqual([{ root: r2.root, last_read_seq: 0, unread_count: 2 }]);
      expect(await store.threads.followed(bob, 10)).toEqual([{ root: r2.root, last_read_seq: r2.message.seq, unread_count: 0 }]);
      expect(await store.threads.markRead(ref, alice, r1.message.seq)).toEqual({ last_read_seq: r1.message.seq, moved: true });
      expect(await store.threads.markRead(ref, alice, 1)).toEqual({ last_read_seq: r1.message.seq, moved: false });
      expect(await store.threads.markRead(ref, alice, 9999)).toEqual({ last_read_seq: r2.message.seq, moved: true });
      await store.messages.markDeleted(r2.message, at(9), bob);
      await store.threads.setFollowing(ref, alice, false);
      expect(await store.threads.followed(alice, 10)).toEqual([]);
      await store.threads.setFollowing(ref, alice, true);
      expect((await store.threads.followed(alice, 10)).map((t) => [t.last_read_seq, t.unread_count])).toEqual([[r2.message.seq, 0]]);
    });
  });
}
