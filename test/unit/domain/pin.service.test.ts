import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toOutbound } from '../../../src/realtime/event-frames.js';
import { newTestServices } from '../fakes/test-services.js';

async function arrange(maxPins?: number) {
  const t = newTestServices(maxPins === undefined ? {} : { maxPins });
  const [alice, bob, dave] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('dave')];
  const conversation = await t.newConversation(alice, [bob]);
  const send = async (content: string) => (await t.messages.send(alice.id, { message_id: randomUUID(), conversation_id: conversation.id, content })).message;
  const message = await send('hi');
  t.events.take();
  return { ...t, alice, bob, dave, conversation, message, send };
}

describe('PinService', () => {
  it('announces a pin once with its position, who and when, to the members, as a frame in the conversation order', async () => {
    const { pins, events, alice, bob, conversation, message } = await arrange();
    await pins.pin(bob.id, conversation.id, message.message_id);
    await pins.pin(alice.id, conversation.id, message.message_id);
    const published = events.take();
    const members = expect.toSatisfy((ids: string[]) => ids.length === 2 && ids.includes(alice.id) && ids.includes(bob.id));
    const at = expect.any(String);
    expect(published).toEqual([
      { type: 'message.pinned', conversation_id: conversation.id, message_id: message.message_id, user_id: bob.id, at, event_seq: 3, member_ids: members },
    ]);
    const event = published[0]!;
    expect(toOutbound(event)).toEqual([
      {
        kind: 'frame',
        userIds: members,
        text: JSON.stringify({ type: 'message.pinned', conversation_id: conversation.id, event_seq: 3, message_id: message.message_id, user_id: bob.id, at: 'at' in event ? event.at : '' }),
        order: { conversationId: conversation.id, eventSeq: 3 },
      },
    ]);
    expect((await pins.list(alice.id, conversation.id)).map((p) => [p.message.message_id, p.pinned_by])).toEqual([[message.message_id, bob.id]]);
  });

  it('lets any member unpin what another pinned, once; unpinning what is not pinned announces nothing', async () => {
    const { pins, events, alice, bob, conversation, message } = await arrange();
    await pins.pin(bob.id, conversation.id, message.message_id);
    events.take();
    await pins.unpin(alice.id, conversation.id, message.message_id);
    await pins.unpin(bob.id, conversation.id, message.message_id);
    expect(events.take().map((e) => [e.type, 'user_id' in e ? e.user_id : null])).toEqual([['message.unpinned', alice.id]]);
    expect(await pins.list(bob.id, conversation.id)).toEqual([]);
  });

  it('refuses with not_member, not_found (no conversation, no message, a message of another conversation), message_deleted and too_many_pins, announcing nothing', async () => {
    const { pins, events, messages, alice, bob, dave, conversation, message, send, newConversation } = await arrange(1);
    await expect(pins.pin(dave.id, conversation.id, message.message_id)).rejects.toMatchObject({ code: 'not_member', status: 403 });
    await expect(pins.pin(dave.id, conversation.id, randomUUID())).rejects.toMatchObject({ code: 'not_member' });
    await expect(pins.unpin(dave.id, conversation.id, message.message_id)).rejects.toMatchObject({ code: 'not_member' });
    await expect(pins.list(dave.id, conversation.id)).rejects.toMatchObject({ code: 'not_member' });
    await expect(pins.pin(bob.id, randomUUID(), message.message_id)).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(pins.pin(bob.id, conversation.id, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    const other = await newConversation(alice, [bob]);
    const elsewhere = (await messages.send(alice.id, { message_id: randomUUID(), conversation_id: other.id, content: 'x' })).message;
    await expect(pins.pin(bob.id, conversation.id, elsewhere.message_id)).rejects.toMatchObject({ code: 'not_found' });
    const second = await send('second');
    events.take();
    await pins.pin(bob.id, conversation.id, message.message_id);
    events.take();
    await expect(pins.pin(bob.id, conversation.id, second.message_id)).rejects.toMatchObject({ code: 'too_many_pins', status: 409 });
    await messages.delete(alice.id, message.message_id);
    events.take();
    expect(await pins.list(bob.id, conversation.id)).toEqual([]);
    await expect(pins.pin(bob.id, conversation.id, message.message_id)).rejects.toMatchObject({ code: 'message_deleted', status: 409 });
    await pins.unpin(bob.id, conversation.id, message.message_id);
    expect(events.take()).toEqual([]);
  });
});
