/**
 * PinRepository and the pins of change-feed snapshots, against the in-memory fake and each SQL
 * store: idempotent pins and unpins (nothing logged, no event_seq taken), the cap, nothing on a
 * deleted message (whose delete removes its pin, logging no unpin), the list newest first with
 * each message as it is now, and pin events in the change feed.
 */
import type { Message } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import type { PinInput } from '../../src/domain/ports/repositories.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`PinRepository [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation, send } = storeFactories(() => store);

    /** A conversation of two members with `count` messages by the first. */
    async function arrange(count = 3) {
      const [a, b] = [await user(), await user()];
      const c = await conversation(a, [b]);
      const messages: Message[] = [];
      for (let i = 0; i < count; i++) messages.push((await send(c, a, `m${i}`)).message);
      const input = (i: number, user_id: string, second = 1): PinInput => ({ message: { message_id: messages[i]!.message_id, conversation_id: c }, user_id, at: at(second) });
      const position = async () => (await store.changeFeed.position(c))!.last_event_seq;
      return { a, b, c, messages, input, position };
    }

    it('pins as the next event; a repeat by anyone changes nothing and takes no event_seq', async () => {
      const { a, b, c, messages, input, position } = await arrange();
      const before = await position();
      expect(await store.pins.pin(input(0, b), 50)).toEqual({ kind: 'changed', event_seq: before + 1 });
      expect(await store.pins.pin(input(0, b, 2), 50)).toEqual({ kind: 'unchanged' });
      expect(await store.pins.pin(input(0, a, 3), 50)).toEqual({ kind: 'unchanged' });
      expect(await position()).toBe(before + 1);
      expect(await store.pins.list(c)).toEqual([{ message: messages[0], pinned_by: b, pinned_at: at(1) }]);
      // The message is unchanged: a pin is not a change of its message.
      expect(await store.messages.findById(messages[0]!.message_id)).toEqual(messages[0]);
    });

    it('unpins as the next event; unpinning what is not pinned changes nothing', async () => {
      const { a, b, c, input, position } = await arrange();
      await store.pins.pin(input(0, a), 50);
      const before = await position();
      expect(await store.pins.unpin(input(1, b, 2))).toEqual({ kind: 'unchanged' });
      expect(await store.pins.unpin(input(0, b, 2))).toEqual({ kind: 'changed', event_seq: before + 1 });
      expect(await store.pins.unpin(input(0, b, 3))).toEqual({ kind: 'unchanged' });
      expect(await position()).toBe(before + 1);
      expect(await store.pins.list(c)).toEqual([]);
    });

    it('refuses a pin beyond max, but not a repeat of one already pinned', async () => {
      const { a, c, input } = await arrange(3);
      expect((await store.pins.pin(input(0, a), 2)).kind).toBe('changed');
      expect((await store.pins.pin(input(1, a), 2)).kind).toBe('changed');
      expect(await store.pins.pin(input(2, a), 2)).toEqual({ kind: 'too_many' });
      expect(await store.pins.pin(input(1, a), 2)).toEqual({ kind: 'unchanged' });
      expect(await store.pins.list(c)).toHaveLength(2);
    });

    it('lists the newest pin first, each message as it is now', async () => {
      const { a, b, c, messages, input } = await arrange(3);
      await store.pins.pin(input(1, a, 1), 50);
      await store.pins.pin(input(0, b, 2), 50);
      await store.pins.pin(input(2, a, 2), 50);
      const edited = await store.messages.edit({ message_id: messages[0]!.message_id, conversation_id: c }, 'edited', at(3), a);
      expect(await store.pins.list(c)).toEqual([
        { message: messages[2], pinned_by: a, pinned_at: at(2) },
        { message: edited, pinned_by: b, pinned_at: at(2) },
        { message: messages[1], pinned_by: a, pinned_at: at(1) },
      ]);
    });

    it('refuses to pin a deleted message; deleting a message removes its pin in the same change, logging no unpin', async () => {
      const { a, b, c, messages, input, position } = await arrange(2);
      await store.pins.pin(input(0, b), 50);
      await store.pins.pin(input(1, b), 50);
      const before = await position();
      await store.messages.markDeleted({ message_id: messages[0]!.message_id, conversation_id: c }, at(5), a);
      expect(await position()).toBe(before + 1);
      expect((await store.pins.list(c)).map((p) => p.message.message_id)).toEqual([messages[1]!.message_id]);
      expect(await store.pins.pin(input(0, b, 6), 50)).toEqual({ kind: 'deleted' });
      expect(await store.pins.unpin(input(0, b, 6))).toEqual({ kind: 'unchanged' });
      expect(await position()).toBe(before + 1);
      const { events } = await store.changeFeed.eventsAfter(c, before, 10);
      expect(events.map((e) => e.type)).toEqual(['message.deleted']);
    });

    it('logs pin events with message_id, who and when, and gives every pin in a snapshot', async () => {
      const { a, b, c, messages, input, position } = await arrange(2);
      const before = await position();
      await store.pins.pin(input(0, a, 1), 50);
      await store.pins.pin(input(1, b, 2), 50);
      await store.pins.unpin(input(0, b, 3));
      const { events } = await store.changeFeed.eventsAfter(c, before, 10);
      const head = { conversation_id: c };
      expect(events).toEqual([
        { ...head, event_seq: before + 1, type: 'message.pinned', actor_id: a, created_at: at(1), message_id: messages[0]!.message_id, user_id: a, at: at(1) },
        { ...head, event_seq: before + 2, type: 'message.pinned', actor_id: b, created_at: at(2), message_id: messages[1]!.message_id, user_id: b, at: at(2) },
        { ...head, event_seq: before + 3, type: 'message.unpinned', actor_id: b, created_at: at(3), message_id: messages[0]!.message_id, user_id: b, at: at(3) },
      ]);
      // The snapshot's messages are the latest only (here none): its pins are all of them.
      expect(await store.changeFeed.snapshot(c, 0)).toMatchObject({ messages: [], pins: [{ message_id: messages[1]!.message_id, pinned_by: b, pinned_at: at(2) }] });
      await store.pins.pin(input(0, a, 4), 50);
      expect((await store.changeFeed.snapshot(c, 1))!.pins.map((p) => p.message_id)).toEqual([messages[0]!.message_id, messages[1]!.message_id]);
    });
  });
}
