import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newTestServices, type TestServiceOptions } from '../fakes/test-services.js';

async function arrange(options: TestServiceOptions = {}) {
  const t = newTestServices(options);
  const [alice, bob, carol, dave] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('carol'), await t.newUser('dave')];
  const conversation = await t.newConversation(alice, [bob, carol]);
  const send = (callerId: string, content: string, extra: { message_id?: string; conversation_id?: string; sender_id?: string } = {}) =>
    t.messages.send(callerId, { message_id: randomUUID(), conversation_id: conversation.id, content, ...extra });
  return { ...t, alice, bob, carol, dave, conversation, send };
}

describe('MessageService.send', () => {
  it('stores messages with a gapless seq per conversation and counts them', async () => {
    const { send, alice, bob, metrics, store, conversation } = await arrange();
    const results = [await send(alice.id, 'one'), await send(bob.id, 'two'), await send(alice.id, 'three')];
    expect(results.map((r) => [r.created, r.message.seq, r.message.content])).toEqual([
      [true, 1, 'one'],
      [true, 2, 'two'],
      [true, 3, 'three'],
    ]);
    expect(results[1]!.message).toMatchObject({ sender_id: bob.id, conversation_id: conversation.id, edited_at: null, deleted: false });
    expect(metrics.stored).toBe(3);
    expect(await store.conversations.lastSeq(conversation.id)).toBe(3);
  });

  it('answers a repeated message_id with the stored message: created false, no seq consumed, nobody told again', async () => {
    const { send, alice, events, metrics } = await arrange();
    const id = randomUUID();
    const first = await send(alice.id, 'hello', { message_id: id });
    events.take();
    const again = await send(alice.id, 'hello', { message_id: id });
    expect(again).toEqual({ message: first.message, created: false });
    expect(events.take()).toEqual([]);
    expect(metrics.stored).toBe(1);
    expect((await send(alice.id, 'next')).message.seq).toBe(2);
  });

  it('refuses a repeated message_id with different content, conversation or sender (message_id_conflict)', async () => {
    const t = await arrange();
    const { send, alice, bob, store, conversation } = t;
    const other = await t.newConversation(alice, [bob]);
    const id = randomUUID();
    await send(alice.id, 'hello', { message_id: id });
    await expect(send(alice.id, 'changed', { message_id: id })).rejects.toMatchObject({ code: 'message_id_conflict', status: 409 });
    await expect(send(alice.id, 'hello', { message_id: id, conversation_id: other.id })).rejects.toMatchObject({ code: 'message_id_conflict' });
    await expect(send(bob.id, 'hello', { message_id: id })).rejects.toMatchObject({ code: 'message_id_conflict' });
    expect(await store.conversations.lastSeq(conversation.id)).toBe(1);
    expect(await store.conversations.lastSeq(other.id)).toBe(0);
  });

  it('compares a resend with the content stored now: after an edit it conflicts (docs/behaviour.md)', async () => {
    const { send, messages, alice } = await arrange();
    const id = randomUUID();
    await send(alice.id, 'hello', { message_id: id });
    await messages.edit(alice.id, id, 'hello, edited');
    await expect(send(alice.id, 'hello', { message_id: id })).rejects.toMatchObject({ code: 'message_id_conflict' });
  });

  it("refuses a sender_id other than the caller's own (sender_mismatch) before spending any budget", async () => {
    const { send, alice, bob, store, conversation, limiter } = await arrange();
    await expect(send(alice.id, 'x', { sender_id: bob.id })).rejects.toMatchObject({ code: 'sender_mismatch' });
    expect(limiter.used('messages', alice.id)).toBe(0);
    expect(await store.conversations.lastSeq(conversation.id)).toBe(0);
    expect((await send(alice.id, 'x', { sender_id: alice.id })).created).toBe(true);
  });

  it('refuses non-members (403) and unknown conversations (404), storing nothing', async () => {
    const { send, dave, alice, store, conversation } = await arrange();
    await expect(send(dave.id, 'x')).rejects.toMatchObject({ code: 'not_member', status: 403 });
    await expect(send(alice.id, 'x', { conversation_id: randomUUID() })).rejects.toMatchObject({ code: 'not_found', status: 404 });
    expect(await store.conversations.lastSeq(conversation.id)).toBe(0);
    expect(store.tables.messages.size).toBe(0);
  });

  it('spends the sender\'s message budget; when it is spent the send is refused and stores nothing', async () => {
    const { send, alice, bob, store, conversation } = await arrange({ limits: { messages: 2 } });
    await send(alice.id, 'one');
    await send(alice.id, 'two');
    await expect(send(alice.id, 'three')).rejects.toMatchObject({ code: 'rate_limited', status: 429 });
    expect((await send(bob.id, 'bob has his own budget')).message.seq).toBe(3);
    expect(await store.conversations.lastSeq(conversation.id)).toBe(3);
  });
});

describe('MessageService.history', () => {
  it('pages ascending by seq, before and after a seq, including deleted messages', async () => {
    const { send, messages, alice, conversation } = await arrange();
    const sent = [];
    for (const content of ['1', '2', '3', '4', '5']) sent.push((await send(alice.id, content)).message);
    await messages.delete(alice.id, sent[1]!.message_id);
    const latest = await messages.history(alice.id, conversation.id, { limit: 2 });
    expect(latest.messages.map((m) => m.seq)).toEqual([4, 5]);
    expect(latest.has_more).toBe(true);
    const before = await messages.history(alice.id, conversation.id, { limit: 10, before: 4 });
    expect(before.messages.map((m) => [m.seq, m.deleted])).toEqual([[1, false], [2, true], [3, false]]);
    expect(before.has_more).toBe(false);
    const after = await messages.history(alice.id, conversation.id, { limit: 2, after: 2 });
    expect(after.messages.map((m) => m.seq)).toEqual([3, 4]);
    expect(after.has_more).toBe(true);
  });

  it('refuses before and after together, and non-members', async () => {
    const { messages, alice, dave, conversation } = await arrange();
    await expect(messages.history(alice.id, conversation.id, { limit: 5, before: 3, after: 1 })).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(messages.history(dave.id, conversation.id, { limit: 5 })).rejects.toMatchObject({ code: 'not_member' });
  });
});

describe('MessageService.edit and delete', () => {
  it('lets only the sender edit, not even an owner; a deleted message cannot be edited', async () => {
    const { send, messages, alice, bob, dave } = await arrange();
    const { message } = await send(bob.id, 'draft');
    await expect(messages.edit(alice.id, message.message_id, 'owner edit')).rejects.toMatchObject({ code: 'not_sender' });
    await expect(messages.edit(dave.id, message.message_id, 'outsider')).rejects.toMatchObject({ code: 'not_member' });
    await expect(messages.edit(bob.id, randomUUID(), 'x')).rejects.toMatchObject({ code: 'not_found' });
    const edited = await messages.edit(bob.id, message.message_id, 'final');
    expect(edited).toMatchObject({ seq: message.seq, content: 'final', deleted: false });
    expect(edited.edited_at).not.toBeNull();
    await messages.delete(bob.id, message.message_id);
    await expect(messages.edit(bob.id, message.message_id, 'again')).rejects.toMatchObject({ code: 'message_deleted', status: 409 });
  });

  it('lets the sender or an owner delete, not another member; deleting keeps the seq and blanks the content', async () => {
    const { send, messages, alice, bob, carol, store } = await arrange();
    const bobs = (await send(bob.id, 'by bob')).message;
    const carols = (await send(carol.id, 'by carol')).message;
    await expect(messages.delete(carol.id, bobs.message_id)).rejects.toMatchObject({ code: 'not_sender' });
    await messages.delete(alice.id, bobs.message_id);
    await messages.delete(carol.id, carols.message_id);
    expect(await store.messages.findById(bobs.message_id)).toMatchObject({ seq: 1, content: '', deleted: true });
    expect(await store.messages.findById(carols.message_id)).toMatchObject({ seq: 2, content: '', deleted: true });
    expect((await send(bob.id, 'after')).message.seq).toBe(3);
  });

  it('deleting twice succeeds both times', async () => {
    const { send, messages, bob } = await arrange();
    const { message } = await send(bob.id, 'x');
    await messages.delete(bob.id, message.message_id);
    await expect(messages.delete(bob.id, message.message_id)).resolves.toBeUndefined();
  });
});

describe('events published by MessageService', () => {
  it('message.created carries the stored message and every member at commit, the sender included', async () => {
    const { send, alice, bob, carol, events } = await arrange();
    const { message } = await send(bob.id, 'hi');
    const [event, ...rest] = events.take();
    expect(rest).toEqual([]);
    expect(event).toMatchObject({ type: 'message.created', message });
    expect(event?.type === 'message.created' && [...event.member_ids].sort()).toEqual([alice.id, bob.id, carol.id].sort());
  });

  it('events leave in seq order, one per stored message', async () => {
    const { send, alice, bob, events } = await arrange();
    await send(alice.id, 'a');
    await send(bob.id, 'b');
    await send(alice.id, 'c');
    expect(events.take().map((e) => (e.type === 'message.created' ? e.message.seq : e.type))).toEqual([1, 2, 3]);
  });

  it('message.edited and message.deleted carry the changed message; a second delete and refused changes publish nothing', async () => {
    const { send, messages, bob, carol, events } = await arrange();
    const { message } = await send(bob.id, 'x');
    events.take();
    await messages.edit(bob.id, message.message_id, 'y');
    await messages.delete(bob.id, message.message_id);
    await messages.delete(bob.id, message.message_id);
    await expect(messages.edit(carol.id, message.message_id, 'z')).rejects.toThrow();
    const published = events.take();
    expect(published.map((e) => e.type)).toEqual(['message.edited', 'message.deleted']);
    expect(published[0]).toMatchObject({ message: { message_id: message.message_id, content: 'y', seq: 1 } });
    expect(published[1]).toMatchObject({ message: { message_id: message.message_id, content: '', deleted: true, seq: 1 } });
    for (const event of published) expect('member_ids' in event && event.member_ids).toHaveLength(3);
  });

  it('nothing is published for a refused send', async () => {
    const { send, alice, dave, events } = await arrange();
    await expect(send(dave.id, 'x')).rejects.toThrow();
    await expect(send(alice.id, 'x', { sender_id: dave.id })).rejects.toThrow();
    expect(events.take()).toEqual([]);
  });
});
