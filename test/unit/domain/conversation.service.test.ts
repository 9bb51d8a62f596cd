import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent } from '../../../src/domain/ports/events.js';
import { newTestServices } from '../fakes/test-services.js';

async function arrange() {
  const t = newTestServices();
  const [alice, bob, carol, dave] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('carol'), await t.newUser('dave')];
  return { ...t, alice, bob, carol, dave };
}

const sorted = (ids: readonly string[]) => [...ids].sort();

describe('ConversationService', () => {
  // Only Date is faked: join and activity times are set per case, promises run as usual.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00.000Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  const later = (seconds: number) => vi.setSystemTime(Date.now() + seconds * 1000);

  describe('create', () => {
    it('makes the caller owner and the others members, ignoring repeats and the caller in member_ids (ids arrive lower-cased by validation)', async () => {
      const { conversations, alice, bob, carol } = await arrange();
      const conversation = await conversations.create(alice.id, { title: 'Plans', member_ids: [bob.id, bob.id, alice.id, carol.id] });
      expect(conversation).toMatchObject({ title: 'Plans', created_by: alice.id, last_seq: 0 });
      expect(conversation.members.map((m) => [m.username, m.role, m.last_read_seq])).toEqual(
        expect.arrayContaining([['alice', 'owner', 0], ['bob', 'member', 0], ['carol', 'member', 0]]),
      );
      expect(conversation.members).toHaveLength(3);
    });

    it('refuses unknown member ids and creates nothing', async () => {
      const { conversations, store, alice, bob } = await arrange();
      await expect(conversations.create(alice.id, { title: 'x', member_ids: [bob.id, randomUUID()] })).rejects.toMatchObject({ code: 'user_not_found' });
      expect(store.tables.conversations.size).toBe(0);
    });

    it('may have only its creator', async () => {
      const { conversations, alice } = await arrange();
      expect((await conversations.create(alice.id, { title: 'notes', member_ids: [] })).members.map((m) => m.user_id)).toEqual([alice.id]);
    });
  });

  describe('get and list', () => {
    it('shows a conversation to members only; an unknown id is not_found', async () => {
      const { conversations, newConversation, alice, bob, dave } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      expect(await conversations.get(bob.id, conversation.id)).toEqual(conversation);
      await expect(conversations.get(dave.id, conversation.id)).rejects.toMatchObject({ code: 'not_member' });
      await expect(conversations.get(alice.id, randomUUID())).rejects.toMatchObject({ code: 'not_found' });
    });

    it("lists the caller's conversations by latest activity, in pages, with unread counts", async () => {
      const { conversations, messages, newConversation, alice, bob } = await arrange();
      const first = await newConversation(alice, [bob], 'first');
      later(1);
      const second = await newConversation(alice, [bob], 'second');
      later(1);
      await newConversation(alice, [], 'alice alone');
      later(1);
      await messages.send(alice.id, { message_id: randomUUID(), conversation_id: first.id, content: 'bump' });
      const page1 = await conversations.list(bob.id, 1, undefined);
      expect(page1.conversations.map((c) => [c.title, c.unread_count, c.last_message?.content ?? null])).toEqual([['first', 1, 'bump']]);
      const page2 = await conversations.list(bob.id, 1, page1.next_cursor ?? undefined);
      expect(page2.conversations.map((c) => c.id)).toEqual([second.id]);
      expect(page2.next_cursor).toBeNull();
    });
  });

  describe('members', () => {
    it('lets any member add a user; adding a member again changes nothing', async () => {
      const { conversations, newConversation, alice, bob, carol } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      const added = await conversations.addMember(bob.id, conversation.id, carol.id);
      expect(added).toMatchObject({ added: true, member: { user_id: carol.id, role: 'member', last_read_seq: 0 } });
      const again = await conversations.addMember(alice.id, conversation.id, carol.id);
      expect(again).toEqual({ added: false, member: added.member });
    });

    it('refuses adds by non-members and of unknown users', async () => {
      const { conversations, newConversation, alice, bob, dave } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      await expect(conversations.addMember(dave.id, conversation.id, dave.id)).rejects.toMatchObject({ code: 'not_member' });
      await expect(conversations.addMember(alice.id, conversation.id, randomUUID())).rejects.toMatchObject({ code: 'user_not_found' });
    });

    it('lets anyone leave, only an owner remove someone else, and answers not_found for a non-member', async () => {
      const { conversations, store, newConversation, alice, bob, carol, dave } = await arrange();
      const conversation = await newConversation(alice, [bob, carol]);
      await expect(conversations.removeMember(bob.id, conversation.id, carol.id)).rejects.toMatchObject({ code: 'not_owner', status: 403 });
      await conversations.removeMember(bob.id, conversation.id, bob.id);
      await conversations.removeMember(alice.id, conversation.id, carol.id);
      await expect(conversations.removeMember(alice.id, conversation.id, dave.id)).rejects.toMatchObject({ code: 'not_found' });
      expect(await store.conversations.memberIds(conversation.id)).toEqual([alice.id]);
    });

    it('when the last owner leaves, the longest-standing remaining member becomes owner', async () => {
      const { conversations, newConversation, alice, bob, carol, dave } = await arrange();
      const conversation = await newConversation(alice, [carol]);
      later(60);
      await conversations.addMember(alice.id, conversation.id, bob.id);
      later(60);
      await conversations.addMember(alice.id, conversation.id, dave.id);
      await conversations.removeMember(alice.id, conversation.id, alice.id);
      const roles = (await conversations.get(carol.id, conversation.id)).members.map((m) => [m.username, m.role]);
      expect(roles).toEqual([['carol', 'owner'], ['bob', 'member'], ['dave', 'member']]);
      // The new owner may now remove others.
      await conversations.removeMember(carol.id, conversation.id, dave.id);
    });
  });

  describe('read positions, join and typing', () => {
    it('moves last_read_seq only forward and never past the last seq', async () => {
      const { conversations, messages, newConversation, store, alice, bob } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      for (const content of ['1', '2', '3']) await messages.send(alice.id, { message_id: randomUUID(), conversation_id: conversation.id, content });
      const position = async () => (await store.conversations.findById(conversation.id))?.members.find((m) => m.user_id === bob.id)?.last_read_seq;
      await conversations.markRead(bob.id, conversation.id, 2);
      expect(await position()).toBe(2);
      await conversations.markRead(bob.id, conversation.id, 1);
      expect(await position()).toBe(2);
      await conversations.markRead(bob.id, conversation.id, 99);
      expect(await position()).toBe(3);
    });

    it('join reports last_seq and last_event_seq to members only; positions lists every conversation of the user', async () => {
      const { conversations, messages, newConversation, alice, bob, dave } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      const empty = await newConversation(bob);
      await messages.send(alice.id, { message_id: randomUUID(), conversation_id: conversation.id, content: 'x' });
      expect(await conversations.join(bob.id, conversation.id)).toEqual({ last_seq: 1, last_event_seq: 2 });
      await expect(conversations.join(dave.id, conversation.id)).rejects.toMatchObject({ code: 'not_member' });
      expect(sorted((await conversations.positions(bob.id)).map((p) => `${p.conversation_id}:${p.last_event_seq}`))).toEqual(
        sorted([`${conversation.id}:2`, `${empty.id}:1`]),
      );
    });

    it('refuses typing and reads from non-members', async () => {
      const { conversations, newConversation, alice, dave } = await arrange();
      const conversation = await newConversation(alice);
      await expect(conversations.typing(dave.id, conversation.id)).rejects.toMatchObject({ code: 'not_member' });
      await expect(conversations.markRead(dave.id, conversation.id, 1)).rejects.toMatchObject({ code: 'not_member' });
    });
  });

  describe('published events', () => {
    it('conversation.created carries the conversation with its members, and each member\'s new user_seq', async () => {
      const { conversations, events, alice, bob } = await arrange();
      const conversation = await conversations.create(alice.id, { title: 'x', member_ids: [bob.id] });
      const [published] = events.take() as DomainEvent<'conversation.created'>[];
      expect(published).toEqual({ type: 'conversation.created', conversation, user_seqs: { [alice.id]: expect.any(Number), [bob.id]: expect.any(Number) } });
      const again = await conversations.create(alice.id, { title: 'y', member_ids: [] });
      expect((events.take() as DomainEvent<'conversation.created'>[])[0]!.user_seqs).toEqual({ [alice.id]: published!.user_seqs[alice.id]! + 1 });
      expect(again.last_event_seq).toBe(1);
    });

    it('conversation.updated is published for a new title only, by owners only', async () => {
      const { conversations, newConversation, events, alice, bob } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      events.take();
      await expect(conversations.rename(bob.id, conversation.id, 'mine')).rejects.toMatchObject({ code: 'not_owner' });
      const renamed = await conversations.rename(alice.id, conversation.id, 'new');
      await conversations.rename(alice.id, conversation.id, 'new');
      expect(renamed).toMatchObject({ title: 'new', last_event_seq: 2 });
      expect(events.take()).toEqual([
        { type: 'conversation.updated', conversation: renamed, event_seq: 2, member_ids: renamed.members.map((m) => m.user_id) },
      ]);
    });

    it('member.updated follows member.removed when the last owner leaves', async () => {
      const { conversations, newConversation, events, alice, bob } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      events.take();
      await conversations.removeMember(alice.id, conversation.id, alice.id);
      const published = events.take();
      expect(published.map((e) => e.type)).toEqual(['member.removed', 'member.updated']);
      expect(published[0]).toMatchObject({ event_seq: 2, user_id: alice.id });
      expect(published[1]).toMatchObject({ event_seq: 3, member: { user_id: bob.id, role: 'owner' }, member_ids: [bob.id] });
    });

    it('member.added names the new member and lists every member; a repeated add publishes nothing', async () => {
      const { conversations, newConversation, events, alice, bob, carol } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      await conversations.addMember(bob.id, conversation.id, carol.id);
      await conversations.addMember(bob.id, conversation.id, carol.id);
      const published = events.take() as DomainEvent<'member.added'>[];
      expect(published.map((e) => [e.type, e.user_id])).toEqual([['member.added', carol.id]]);
      expect(sorted(published[0]!.conversation.members.map((m) => m.user_id))).toEqual(sorted([alice.id, bob.id, carol.id]));
    });

    it('member.removed lists the members before the removal, so the removed user hears it too', async () => {
      const { conversations, newConversation, events, alice, bob, carol } = await arrange();
      const conversation = await newConversation(alice, [bob, carol]);
      await conversations.removeMember(alice.id, conversation.id, bob.id);
      await expect(conversations.removeMember(bob.id, conversation.id, carol.id)).rejects.toThrow();
      const published = events.take() as DomainEvent<'member.removed'>[];
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({ type: 'member.removed', conversation_id: conversation.id, user_id: bob.id });
      expect(sorted(published[0]!.member_ids)).toEqual(sorted([alice.id, bob.id, carol.id]));
    });

    it('read.advanced carries the position actually reached, and nothing when it did not move', async () => {
      const { conversations, messages, newConversation, events, alice, bob } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      await messages.send(alice.id, { message_id: randomUUID(), conversation_id: conversation.id, content: 'x' });
      events.take();
      await conversations.markRead(bob.id, conversation.id, 50);
      await conversations.markRead(bob.id, conversation.id, 1);
      await conversations.markRead(bob.id, conversation.id, 0);
      const published = events.take() as DomainEvent<'read.advanced'>[];
      expect(published.map(({ type, user_id, seq }) => ({ type, user_id, seq }))).toEqual([{ type: 'read.advanced', user_id: bob.id, seq: 1 }]);
      expect(published[0]!.user_seq).toBeGreaterThan(0);
      expect(sorted(published[0]!.member_ids)).toEqual(sorted([alice.id, bob.id]));
    });

    it('typing.started names the typist and the members (the realtime layer leaves the typist out)', async () => {
      const { conversations, newConversation, events, alice, bob } = await arrange();
      const conversation = await newConversation(alice, [bob]);
      await conversations.typing(bob.id, conversation.id);
      const published = events.take() as DomainEvent<'typing.started'>[];
      expect(published).toMatchObject([{ type: 'typing.started', conversation_id: conversation.id, user_id: bob.id }]);
      expect(sorted(published[0]!.member_ids)).toEqual(sorted([alice.id, bob.id]));
    });
  });
});
