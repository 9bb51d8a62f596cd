import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isReactionEmoji } from '@pneumatic/protocol';
import { toOutbound } from '../../../src/realtime/event-frames.js';
import { newTestServices } from '../fakes/test-services.js';

async function arrange(maxDistinct = 20) {
  const t = newTestServices({ reactionsMaxDistinct: maxDistinct });
  const [alice, bob, dave] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('dave')];
  const conversation = await t.newConversation(alice, [bob]);
  const { message } = await t.messages.send(alice.id, { message_id: randomUUID(), conversation_id: conversation.id, content: 'hi' });
  t.events.take();
  return { ...t, alice, bob, dave, conversation, message };
}

describe('isReactionEmoji', () => {
  it('takes exactly one RGI emoji (the v flag, on this Node), skin tones, ZWJ sequences, flags and keycaps included', () => {
    for (const emoji of ['👍', '👍🏿', '👨‍👩‍👧‍👦', '🧑🏽‍💻', '🇯🇵', '#️⃣', '❤️', '🏴󠁧󠁢󠁷󠁬󠁳󠁿']) expect({ emoji, ok: isReactionEmoji(emoji) }).toEqual({ emoji, ok: true });
    for (const emoji of ['', 'a', '❤', '👍👍', ' 👍', '👍\u200d', ':+1:', '\ud83d', '👍'.repeat(20)]) expect({ emoji, ok: isReactionEmoji(emoji) }).toEqual({ emoji, ok: false });
  });
});

describe('ReactionService', () => {
  it('announces an added reaction once with its count and position, to the members', async () => {
    const { reactions, events, bob, alice, conversation, message } = await arrange();
    await reactions.add(bob.id, message.message_id, '👍');
    await reactions.add(bob.id, message.message_id, '👍');
    const published = events.take();
    // Members in whatever order the store lists them.
    const members = expect.toSatisfy((ids: string[]) => ids.length === 2 && ids.includes(alice.id) && ids.includes(bob.id));
    expect(published).toEqual([
      { type: 'reaction.added', conversation_id: conversation.id, message_id: message.message_id, emoji: '👍', user_id: bob.id, count: 1, event_seq: 3, member_ids: members },
    ]);
    expect(toOutbound(published[0]!)).toEqual([
      {
        kind: 'frame',
        userIds: members,
        text: JSON.stringify({ type: 'reaction.added', conversation_id: conversation.id, event_seq: 3, message_id: message.message_id, emoji: '👍', user_id: bob.id, count: 1 }),
        order: { conversationId: conversation.id, eventSeq: 3 },
      },
    ]);
  });

  it('announces a removal once; removing what is not there announces nothing', async () => {
    const { reactions, events, bob, alice, message } = await arrange();
    await reactions.add(bob.id, message.message_id, '🎉');
    await reactions.add(alice.id, message.message_id, '🎉');
    events.take();
    await reactions.remove(bob.id, message.message_id, '🎉');
    await reactions.remove(bob.id, message.message_id, '🎉');
    await reactions.remove(alice.id, message.message_id, '👀');
    expect(events.take().map((e) => [e.type, 'count' in e ? e.count : null])).toEqual([['reaction.removed', 1]]);
  });

  it('refuses with invalid_emoji, not_member, not_found, message_deleted and too_many_reactions, announcing nothing', async () => {
    const { reactions, events, messages, alice, bob, dave, message } = await arrange(1);
    await expect(reactions.add(bob.id, message.message_id, 'ok')).rejects.toMatchObject({ code: 'invalid_emoji', status: 400 });
    await expect(reactions.remove(bob.id, message.message_id, 'ok')).rejects.toMatchObject({ code: 'invalid_emoji' });
    await expect(reactions.add(dave.id, message.message_id, '👍')).rejects.toMatchObject({ code: 'not_member', status: 403 });
    await expect(reactions.list(dave.id, message.message_id)).rejects.toMatchObject({ code: 'not_member' });
    await expect(reactions.add(bob.id, randomUUID(), '👍')).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await reactions.add(bob.id, message.message_id, '👍');
    events.take();
    await expect(reactions.add(alice.id, message.message_id, '👎')).rejects.toMatchObject({ code: 'too_many_reactions', status: 409 });
    await reactions.add(alice.id, message.message_id, '👍');
    expect(events.take()).toHaveLength(1);
    await messages.delete(alice.id, message.message_id);
    events.take();
    await expect(reactions.add(bob.id, message.message_id, '👍')).rejects.toMatchObject({ code: 'message_deleted', status: 409 });
    await expect(reactions.remove(bob.id, message.message_id, '👍')).rejects.toMatchObject({ code: 'message_deleted' });
    expect(await reactions.list(bob.id, message.message_id)).toEqual([]);
    expect(events.take()).toEqual([]);
  });
});
