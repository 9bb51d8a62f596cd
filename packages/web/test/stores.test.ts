/**
 * The web app's stores without a browser: they expose slices of the SDK's ChatState, and a
 * change to one entity notifies only the atoms of that entity (and conversation).
 */
import { ChatState, PneumaticError, type Conversation, type Message } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { describeError, fieldName } from '../src/lib/errors.js';
import { FALLBACK_LIMITS, contentProblem, passwordProblem, usernameProblem } from '../src/lib/limits.js';
import { ConversationsStore } from '../src/lib/stores/conversations-store.js';
import { KeyedAtoms } from '../src/lib/stores/keyed-atoms.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function conversation(id: string, createdAt: string): Conversation {
  const member = (user_id: string, username: string) => ({ user_id, username, is_bot: false, display_name: null, avatar_url: null, role: 'member' as const, joined_at: createdAt, last_read_seq: 0 });
  return { id, title: `t-${id.slice(-1)}`, created_at: createdAt, created_by: ME, last_seq: 0, last_event_seq: 1, members: [member(ME, 'me'), member(BOB, 'bob')] };
}

function message(conversationId: string, seq: number, createdAt: string, sender = BOB): Message {
  return { message_id: `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, conversation_id: conversationId, sender_id: sender, content: `m${seq}`, seq, created_at: createdAt, edited_at: null, deleted: false, version: seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [] };
}

/** A ChatState wired to a ConversationsStore and per-entity counters, as ChatStore wires them. */
function wired() {
  const state = new ChatState(() => ME, { windowSize: Number.POSITIVE_INFINITY });
  const store = new ConversationsStore(() => state);
  state.changes.on('conversation', (id) => store.changed(id));
  state.changes.on('unread', (id) => store.unreadChanged(id));
  const notified = { list: 0, unread: 0 };
  return { state, store, notified, watch: (id: string) => {
    store.list.subscribe(() => notified.list++);
    store.unread(id).subscribe(() => notified.unread++);
  } };
}

describe('ConversationsStore', () => {
  const A = '20000000-0000-4000-8000-00000000000a';
  const B = '20000000-0000-4000-8000-00000000000b';

  it('lists conversations by latest activity, the last message included', async () => {
    const { state, store } = wired();
    state.applyConversation(conversation(A, '2026-01-01T00:00:00.000Z'));
    state.applyConversation(conversation(B, '2026-01-02T00:00:00.000Z'));
    expect(store.list.get().map((e) => e.conversation.id)).toEqual([B, A]);
    state.applyMessage(message(A, 1, '2026-01-03T00:00:00.000Z'));
    await settle();
    expect(store.list.get().map((e) => e.conversation.id)).toEqual([A, B]);
    expect(store.list.get()[0]!.lastMessage?.content).toBe('m1');
  });

  it('notifies the unread badge, not the list, when only a read position moves', async () => {
    const { state, store, notified, watch } = wired();
    state.applyConversation(conversation(A, '2026-01-01T00:00:00.000Z'));
    state.applyMessage(message(A, 1, '2026-01-01T00:01:00.000Z'));
    watch(A);
    expect(store.unread(A).get()).toBe(1);
    state.applyRead(A, ME, 1);
    await settle();
    expect(store.unread(A).get()).toBe(0);
    expect(notified).toEqual({ list: 0, unread: 1 });
  });

  it('notifies nothing of the list or unread counts when someone types', async () => {
    const { state, notified, watch } = wired();
    state.applyConversation(conversation(A, '2026-01-01T00:00:00.000Z'));
    watch(A);
    const typing: string[] = [];
    state.changes.on('typing', (id) => typing.push(id));
    state.applyTyping(A, BOB);
    await settle();
    expect(typing).toEqual([A]);
    expect(state.typingUsers(A)).toEqual([BOB]);
    expect(notified).toEqual({ list: 0, unread: 0 });
    state.dispose();
  });

  it('drops a conversation you left', async () => {
    const { state, store } = wired();
    state.applyConversation(conversation(A, '2026-01-01T00:00:00.000Z'));
    expect(store.conversation(A).get()?.id).toBe(A);
    state.applyMemberRemoved(A, ME);
    await settle();
    expect(store.conversation(A).get()).toBeUndefined();
    expect(store.list.get()).toEqual([]);
  });
});

describe('ConversationsStore on change-feed updates', () => {
  const A = '20000000-0000-4000-8000-00000000000a';

  it('shows a new title, a member removed or promoted, and a reset snapshot without a reload', async () => {
    const { state, store, watch } = wired();
    const original = conversation(A, '2026-01-01T00:00:00.000Z');
    state.applyConversation(original);
    watch(A);
    state.applyConversation({ ...original, title: 'renamed' });
    await settle();
    expect(store.conversation(A).get()?.title).toBe('renamed');
    expect(store.list.get()[0]!.conversation.title).toBe('renamed');

    state.applyMember(A, BOB, null);
    await settle();
    expect(store.conversation(A).get()?.members.map((m) => m.user_id)).toEqual([ME]);
    state.applyMember(A, ME, { ...original.members[0]!, role: 'owner' });
    await settle();
    expect(store.conversation(A).get()?.members.map((m) => m.role)).toEqual(['owner']);

    const latest = [message(A, 7, '2026-01-02T00:00:00.000Z'), message(A, 8, '2026-01-02T00:01:00.000Z')];
    state.applySnapshot({ conversation: { ...original, title: 'reset', last_seq: 8, last_event_seq: 12 }, messages: latest, has_more_messages: true, pins: [] });
    await settle();
    expect(store.conversation(A).get()?.title).toBe('reset');
    expect(store.list.get()[0]!.lastMessage?.seq).toBe(8);
    expect(state.messages(A).map((m) => m.seq)).toEqual([7, 8]);
    // Both snapshot messages, and every message between the read position (0) and them, until counted exactly.
    expect(store.unread(A).get()).toBe(8);
  });
});

describe('KeyedAtoms', () => {
  it('recomputes once per task however often a key is invalidated, and only notifies on a new value', async () => {
    let computed = 0;
    let value = 1;
    const atoms = new KeyedAtoms<number>(() => (computed++, value));
    let notified = 0;
    atoms.of('k').subscribe(() => notified++);
    for (let i = 0; i < 100; i++) atoms.invalidate('k');
    await settle();
    expect([computed, notified]).toEqual([2, 0]);
    value = 2;
    atoms.invalidate('k');
    atoms.invalidate('other');
    await settle();
    expect([computed, notified, atoms.of('k').get()]).toEqual([3, 1, 2]);
  });
});

describe('describeError', () => {
  it('puts each field error (RFC 6901 pointer) under the form field that shows it', () => {
    const error = new PneumaticError('invalid_request', 'body/member_ids/1 must match format "uuid"', 400, null, {
      errors: [
        { pointer: '/member_ids/1', detail: 'must be a user id' },
        { pointer: '/title', detail: 'must be at most 200 characters' },
      ],
    });
    expect(describeError(error, { title: 'title', member_ids: 'members' })).toEqual({
      fields: { members: 'Must be a user id.', title: 'Must be at most 200 characters.' },
      form: null,
    });
  });

  it('shows errors of fields the form does not have, and problems without errors, for the whole form', () => {
    const withUnknown = new PneumaticError('invalid_request', 'invalid', 400, null, { errors: [{ pointer: '/extra', detail: 'is not allowed' }] });
    expect(describeError(withUnknown, { title: 'title' })).toEqual({ fields: {}, form: 'Is not allowed.' });
    expect(describeError(new PneumaticError('invalid_request', 'title is too long', 400), { title: 'title' })).toEqual({ fields: {}, form: 'Title is too long.' });
  });

  it('reads pointer segments with RFC 6901 escapes', () => {
    expect(fieldName('/a~1b~0c/3')).toBe('a/b~c');
    expect(fieldName('')).toBeNull();
  });
});

describe('limits', () => {
  it('validates against the limits given, not compiled-in ones', () => {
    const strict = { ...FALLBACK_LIMITS, password_min_chars: 12, username_pattern: '^[a-z]+$', content_max_chars: 5 };
    expect(passwordProblem('ten chars!', true, FALLBACK_LIMITS)).toBeNull();
    expect(passwordProblem('ten chars!', true, strict)).toBe('Use at least 12 characters.');
    expect(usernameProblem('Alice', strict)).not.toBeNull();
    expect(usernameProblem('alice', strict)).toBeNull();
    expect(contentProblem('123456', strict)).toBe('1 character over the 5-character limit.');
  });
});
