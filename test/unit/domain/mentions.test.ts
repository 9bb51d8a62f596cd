/**
 * Mentions in the domain: what counts as a mention in content (parseMentions), how names
 * resolve to members on send and edit, and the @all policy (requireMayMentionAll), over the
 * in-memory fakes. The same rules over HTTP, WebSocket and both databases: test/http/mentions.routes.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseMentions } from '../../../src/domain/mentions.js';
import { newTestServices } from '../fakes/test-services.js';

const keys = (content: string) => parseMentions(content).names.map((n) => n.key);

describe('parseMentions', () => {
  it('finds @names at the start or after a non-word character, lower-cased, first appearance first, once each', () => {
    expect(keys('@Ann hi (@bob), @ann again; x:@carol_1 @d.e-f')).toEqual(['ann', 'bob', 'carol_1', 'd.e-f']);
  });

  it('does not take an email address or a word-joined @ for a mention', () => {
    expect(keys('write to ann@example.org or josé@bob.org, a@b.c')).toEqual([]);
    expect(parseMentions('no at sign at all')).toEqual({ names: [], all: false });
  });

  it('ends a name where username characters end, and also tries it without trailing dots and dashes', () => {
    expect(parseMentions('thanks @ann.')).toEqual({ names: [{ key: 'ann.', trimmed: 'ann' }], all: false });
    expect(parseMentions('@bob!')).toEqual({ names: [{ key: 'bob', trimmed: null }], all: false });
  });

  it('reads @all and @everyone, in any case, as everyone and not as a name', () => {
    expect(parseMentions('@ALL look')).toEqual({ names: [], all: true });
    expect(parseMentions('hey @everyone. and @ann')).toEqual({ names: [{ key: 'ann', trimmed: null }], all: true });
    expect(parseMentions('@alligator').all).toBe(false);
  });

  it('ignores names longer than any username', () => {
    expect(keys(`@${'a'.repeat(65)}`)).toEqual([]);
  });
});

async function arrange(mentionAllMaxMembers = 20) {
  const t = newTestServices({ mentionAllMaxMembers });
  const [alice, bob, carol, dave] = [await t.newUser('alice'), await t.newUser('Bob'), await t.newUser('carol'), await t.newUser('dave')];
  const conversation = await t.newConversation(alice, [bob, carol]);
  const send = (callerId: string, content: string) => t.messages.send(callerId, { message_id: randomUUID(), conversation_id: conversation.id, content });
  return { ...t, alice, bob, carol, dave, conversation, send };
}

describe('MessageService mentions', () => {
  it('resolves names of members only, ignoring case, non-members and unknown names', async () => {
    const { send, alice, bob, carol } = await arrange();
    const { message } = await send(alice.id, '@CAROL @bob @dave @nobody @bob, mail alice@x.org');
    expect(message).toMatchObject({ mentions: [carol.id, bob.id], mentions_all: false });
  });

  it('stores no mentions for content without @', async () => {
    const { send, alice } = await arrange();
    expect((await send(alice.id, 'plain')).message).toMatchObject({ mentions: [], mentions_all: false });
  });

  it('resolves the mentions again on edit', async () => {
    const { send, messages, alice, bob, carol } = await arrange();
    const { message } = await send(alice.id, 'hi @bob');
    expect(await messages.edit(alice.id, message.message_id, 'hi @carol')).toMatchObject({ mentions: [carol.id], mentions_all: false });
    expect(await messages.edit(alice.id, message.message_id, 'hi all')).toMatchObject({ mentions: [], mentions_all: false });
    expect(await messages.edit(alice.id, message.message_id, 'hi @BOB and @bob.')).toMatchObject({ mentions: [bob.id] });
  });

  it('lets any member use @all in a conversation of at most MENTION_ALL_MAX_MEMBERS members', async () => {
    const { send, bob } = await arrange(3);
    expect((await send(bob.id, '@all lunch?')).message.mentions_all).toBe(true);
  });

  it('refuses @all from a member above MENTION_ALL_MAX_MEMBERS (403 mention_all_forbidden), on send and on edit, but not from an owner', async () => {
    const { send, messages, alice, bob } = await arrange(2);
    await expect(send(bob.id, '@everyone lunch?')).rejects.toMatchObject({ code: 'mention_all_forbidden', status: 403 });
    const { message } = await send(bob.id, 'lunch?');
    await expect(messages.edit(bob.id, message.message_id, '@all lunch?')).rejects.toMatchObject({ code: 'mention_all_forbidden' });
    expect((await send(alice.id, '@all lunch!')).message.mentions_all).toBe(true);
  });

  it('lets an edit keep an @all the message already had', async () => {
    const { send, messages, conversations, store, alice, bob, dave, conversation } = await arrange(3);
    const { message } = await send(bob.id, '@all lunch?');
    await conversations.addMember(alice.id, conversation.id, dave.id);
    expect(await store.conversations.memberIds(conversation.id)).toHaveLength(4);
    expect(await messages.edit(bob.id, message.message_id, '@all lunch at 1?')).toMatchObject({ mentions_all: true });
  });

  it('counts unread mentions in the conversation list and lowers them when an edit removes the mention or the message is read', async () => {
    const { send, messages, conversations, alice, bob } = await arrange();
    const { message } = await send(alice.id, '@bob look');
    await send(alice.id, 'no mention');
    const unreadMentions = async () => (await conversations.list(bob.id, 50, undefined)).conversations[0]!.unread_mentions;
    expect(await unreadMentions()).toBe(1);
    await messages.edit(alice.id, message.message_id, 'never mind');
    expect(await unreadMentions()).toBe(0);
    await messages.edit(alice.id, message.message_id, '@bob look again');
    expect(await unreadMentions()).toBe(1);
    await conversations.markRead(bob.id, message.conversation_id, message.seq);
    expect(await unreadMentions()).toBe(0);
  });
});
