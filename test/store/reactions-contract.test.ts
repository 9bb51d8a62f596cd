/**
 * ReactionRepository and the reactions every Message carries, against the in-memory fake and each
 * SQL store: idempotent adds and removes (nothing logged, no event_seq taken), the cap on
 * distinct emoji, nothing on a deleted message (whose delete removes them), counts ordered by
 * first reaction, a page's my_reactions only where a viewer is named, the JSON history page equal to the
 * objects, and reaction events in the change feed with the emoji's current count.
 */
import { describe, expect, it } from 'vitest';
import type { ReactionInput } from '../../src/domain/ports/repositories.js';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`ReactionRepository [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation, send } = storeFactories(() => store);

    /** A conversation of `count` members with one message by the first. */
    async function arrange(count = 3) {
      const users: string[] = [];
      for (let i = 0; i < count; i++) users.push(await user());
      const c = await conversation(users[0]!, users.slice(1));
      const { message } = await send(c, users[0]!, 'react to me');
      const ref = { message_id: message.message_id, conversation_id: c };
      const input = (user_id: string, emoji: string, second = 1): ReactionInput => ({ message: ref, emoji, user_id, at: at(second) });
      return { users, c, message, ref, input };
    }

    it('adds a reaction as the next event and the message version; a repeat changes nothing and takes no event_seq', async () => {
      const { users, c, message, input } = await arrange();
      const position = (await store.changeFeed.position(c))!.last_event_seq;
      expect(await store.reactions.add(input(users[1]!, '👍'), 20)).toEqual({ kind: 'changed', event_seq: position + 1, count: 1 });
      expect(await store.reactions.add(input(users[1]!, '👍', 2), 20)).toEqual({ kind: 'unchanged' });
      expect(await store.reactions.add(input(users[2]!, '👍', 3), 20)).toEqual({ kind: 'changed', event_seq: position + 2, count: 2 });
      expect((await store.changeFeed.position(c))!.last_event_seq).toBe(position + 2);
      expect(await store.messages.findById(message.message_id)).toMatchObject({ version: position + 2, reactions: [{ emoji: '👍', count: 2 }] });
    });

    it('removes a reaction as the next event; removing one that is not there changes nothing', async () => {
      const { users, c, message, input } = await arrange();
      await store.reactions.add(input(users[1]!, '🎉'), 20);
      const position = (await store.changeFeed.position(c))!.last_event_seq;
      expect(await store.reactions.remove(input(users[2]!, '🎉', 2))).toEqual({ kind: 'unchanged' });
      expect(await store.reactions.remove(input(users[1]!, '🎉', 2))).toEqual({ kind: 'changed', event_seq: position + 1, count: 0 });
      expect(await store.reactions.remove(input(users[1]!, '🎉', 3))).toEqual({ kind: 'unchanged' });
      expect((await store.changeFeed.position(c))!.last_event_seq).toBe(position + 1);
      expect(await store.messages.findById(message.message_id)).toMatchObject({ version: position + 1, reactions: [] });
    });

    it('refuses a new emoji beyond maxDistinct, but not another reaction with an emoji already there', async () => {
      const { users, input } = await arrange();
      expect((await store.reactions.add(input(users[0]!, '👍'), 2)).kind).toBe('changed');
      expect((await store.reactions.add(input(users[0]!, '👎'), 2)).kind).toBe('changed');
      expect(await store.reactions.add(input(users[1]!, '😀'), 2)).toEqual({ kind: 'too_many' });
      expect((await store.reactions.add(input(users[1]!, '👎'), 2)).kind).toBe('changed');
    });

    it('changes nothing on a deleted message; deleting a message removes its reactions', async () => {
      const { users, c, message, ref, input } = await arrange();
      await store.reactions.add(input(users[1]!, '👍'), 20);
      await store.reactions.add(input(users[2]!, '❤️'), 20);
      const deleted = await store.messages.markDeleted(ref, at(5), users[0]!);
      expect(deleted).toMatchObject({ deleted: true, reactions: [] });
      const position = (await store.changeFeed.position(c))!.last_event_seq;
      expect(await store.reactions.add(input(users[1]!, '👍', 6), 20)).toEqual({ kind: 'deleted' });
      expect(await store.reactions.remove(input(users[2]!, '❤️', 6))).toEqual({ kind: 'deleted' });
      expect((await store.changeFeed.position(c))!.last_event_seq).toBe(position);
      expect(await store.reactions.list(message.message_id)).toEqual([]);
    });

    it('orders counts by each emoji first reaction, lists who reacted, and gives the page my_reactions only for a named viewer', async () => {
      const { users, c, message, input } = await arrange();
      const [a, b, d] = users as [string, string, string];
      await store.reactions.add(input(b, '🎉', 1), 20);
      await store.reactions.add(input(a, '👍🏽', 2), 20);
      await store.reactions.add(input(d, '🎉', 3), 20);
      await store.reactions.add(input(a, '👨‍👩‍👧', 4), 20);
      await store.reactions.add(input(a, '🎉', 5), 20);
      const counts = [{ emoji: '🎉', count: 3 }, { emoji: '👍🏽', count: 1 }, { emoji: '👨‍👩‍👧', count: 1 }];
      expect((await store.messages.findById(message.message_id))!.reactions).toEqual(counts);
      expect(await store.messages.findById(message.message_id)).not.toHaveProperty('my_reactions');
      expect(await store.reactions.list(message.message_id)).toEqual([
        { emoji: '🎉', count: 3, user_ids: [b, d, a] },
        { emoji: '👍🏽', count: 1, user_ids: [a] },
        { emoji: '👨‍👩‍👧', count: 1, user_ids: [a] },
      ]);
      const page = await store.messages.history(c, { limit: 10, viewer: a });
      expect(page.messages[0]).toEqual(expect.objectContaining({ reactions: counts }));
      expect(page.messages[0]).not.toHaveProperty('my_reactions');
      expect(page.my_reactions).toEqual({ [message.message_id]: ['👍🏽', '👨‍👩‍👧', '🎉'] });
      expect((await store.messages.history(c, { limit: 10, viewer: d })).my_reactions).toEqual({ [message.message_id]: ['🎉'] });
      expect(await store.messages.history(c, { limit: 10 })).not.toHaveProperty('my_reactions');
      // The page the database writes as JSON parses to the same, field order included, and has the same my_reactions.
      for (const query of [{ limit: 10, viewer: a }, { limit: 10, viewer: b, after: 0 }, { limit: 10 }, { limit: 1, before: 2 }]) {
        const objects = await store.messages.history(c, query);
        const text = await store.messages.historyJson(c, query);
        expect(JSON.stringify(JSON.parse(text.messages_json))).toBe(JSON.stringify(objects.messages));
        expect(text.my_reactions).toEqual(objects.my_reactions);
      }
      const snapshot = (await store.changeFeed.snapshot(c, 10, b))!;
      expect(snapshot.messages[0]).toEqual(expect.objectContaining({ reactions: counts }));
      expect(snapshot.my_reactions).toEqual({ [message.message_id]: ['🎉'] });
    });

    it('gives my_reactions only for the page\'s messages the viewer reacted to ({} when none)', async () => {
      const { users, c, message, ref, input } = await arrange();
      const [a, b] = users as [string, string];
      const { message: other } = await send(c, a, 'second');
      await store.reactions.add(input(b, '👍', 1), 20);
      await store.reactions.add({ ...input(a, '🎉', 2), message: { ...ref, message_id: other.message_id } }, 20);
      expect((await store.messages.history(c, { limit: 10, viewer: a })).my_reactions).toEqual({ [other.message_id]: ['🎉'] });
      expect((await store.messages.historyJson(c, { limit: 10, viewer: b })).my_reactions).toEqual({ [message.message_id]: ['👍'] });
      expect((await store.messages.historyJson(c, { limit: 1, viewer: b })).my_reactions).toEqual({});
      expect((await store.messages.historyJson(c, { limit: 10, after: 99, viewer: a })).my_reactions).toEqual({});
    });

    it('logs reaction events with message_id, emoji, user_id and the emoji count as it is now', async () => {
      const { users, c, message, input } = await arrange();
      const [a, b] = users as [string, string];
      const position = (await store.changeFeed.position(c))!.last_event_seq;
      await store.reactions.add(input(a, '👍', 1), 20);
      await store.reactions.add(input(b, '👍', 2), 20);
      await store.reactions.remove(input(a, '👍', 3));
      const { events } = await store.changeFeed.eventsAfter(c, position - 1, 10);
      const ref = { conversation_id: c, message_id: message.message_id, emoji: '👍' };
      expect(events).toEqual([
        expect.objectContaining({ type: 'message.created', message: expect.objectContaining({ reactions: [{ emoji: '👍', count: 1 }], version: position + 3 }) }),
        { ...ref, event_seq: position + 1, type: 'reaction.added', actor_id: a, user_id: a, count: 1, created_at: at(1) },
        { ...ref, event_seq: position + 2, type: 'reaction.added', actor_id: b, user_id: b, count: 1, created_at: at(2) },
        { ...ref, event_seq: position + 3, type: 'reaction.removed', actor_id: a, user_id: a, count: 1, created_at: at(3) },
      ]);
    });
  });
}
