/**
 * Threads in the SDK's state (docs/API.md, "Replies and threads"): replies are messages of the
 * conversation told apart by thread_root_id; a thread's replies come from the window and the
 * pages loaded; thread.updated is the root's new version; your read position in a thread only
 * moves forward; the outbox resends a reply with its reply fields.
 */
import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore, sendFieldsOf, type OutboxEntry } from '../../src/outbox-store.js';
import { Outbox } from '../../src/outbox.js';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import type { Conversation, Member, Message } from '../../src/types.js';
import { message, storedFrom } from './fixtures.js';

const AT = '2026-12-04T10:00:00.000Z';
const context = { selfId: 'me', seenUpTo: 0 };

function member(user_id: string): Member {
  return { user_id, username: user_id, is_bot: false, display_name: null, avatar_url: null, role: 'member', joined_at: AT, last_read_seq: 0 };
}

function conversation(): Conversation {
  return { id: 'c', title: 'c', created_at: AT, created_by: 'me', last_seq: 3, last_event_seq: 3, members: [member('me'), member('ann')] };
}

const summary = (reply_count: number, last: Message) => ({ reply_count, last_reply_at: last.created_at, last_reply_id: last.message_id });

/** A state holding conversation c with messages 1–3 (c-1 is the root of the threads below), and the 'threads' changes it reports. */
function arrange() {
  const state = new ChatState(() => 'me');
  state.applySnapshot({ conversation: conversation(), messages: [message('c', 1), message('c', 2), message('c', 3)], has_more_messages: false, pins: [] });
  const changes: string[] = [];
  state.changes.on('threads', (id) => changes.push(id));
  return { state, changes };
}

describe('ChatState threads', () => {
  it('lists a thread from the window, and applies thread.updated as the root’s new version with its summary', () => {
    const { state, changes } = arrange();
    const reply = message('c', 4, { thread_root_id: 'c-1', sender_id: 'ann' });
    applyEvent(state, { type: 'message.created', conversation_id: 'c', event_seq: 4, message: reply }, context);
    const root = message('c', 1, { version: 5, thread: summary(1, reply) });
    const emitted = applyEvent(state, { type: 'thread.updated', conversation_id: 'c', event_seq: 5, message: root }, context);
    expect(emitted.map((e) => e.name)).toEqual(['message.updated']);
    expect(state.threadReplies('c', 'c-1')).toEqual([reply]);
    expect(state.messages('c').find((m) => m.message_id === 'c-1')?.thread?.reply_count).toBe(1);
    expect(state.threadRoot('c', 'c-1')).toEqual(root);
    expect(state.threadReplies('c', 'c-2')).toEqual([]);
    expect(changes.length).toBeGreaterThan(0);
  });

  it('keeps the pages loaded with thread() beside the window, newest version of each reply, and later replies live', () => {
    const state = new ChatState(() => 'me', { windowSize: 2 });
    state.applySnapshot({ conversation: conversation(), messages: [message('c', 3), message('c', 4)], has_more_messages: true, pins: [] });
    // The root (seq 1) is older than the window: only its thread's page holds it.
    const old = message('c', 2, { thread_root_id: 'c-1' });
    const root = message('c', 1, { version: 9, thread: summary(1, old) });
    state.applyThreadPage({ root, messages: [old], has_more: false });
    expect(state.threadRoot('c', 'c-1')).toEqual(root);
    const edited = { ...old, content: 'edited', version: 10 };
    applyEvent(state, { type: 'message.edited', conversation_id: 'c', event_seq: 10, message: edited }, context);
    const live = message('c', 5, { thread_root_id: 'c-1', version: 11 });
    applyEvent(state, { type: 'message.created', conversation_id: 'c', event_seq: 11, message: live }, context);
    applyEvent(state, { type: 'message.created', conversation_id: 'c', event_seq: 12, message: message('c', 6, { version: 12 }) }, context);
    // Both replies have fallen out of the two-message window; the loaded thread keeps them.
    expect(state.messages('c').map((m) => m.seq)).toEqual([5, 6]);
    expect(state.threadReplies('c', 'c-1')).toEqual([edited, live]);
    const newer = { ...root, version: 13, thread: summary(2, live) };
    applyEvent(state, { type: 'thread.updated', conversation_id: 'c', event_seq: 13, message: newer }, context);
    expect(state.threadRoot('c', 'c-1')?.thread?.reply_count).toBe(2);
  });

  it('moves your read position in a thread forward only: thread.read frames, your own replies, GET /threads', () => {
    const { state, changes } = arrange();
    expect(state.threadReadSeq('c-1')).toBe(0);
    state.threads.read('c', 'c-1', 7);
    state.threads.read('c', 'c-1', 5);
    expect(state.threadReadSeq('c-1')).toBe(7);
    applyEvent(state, { type: 'message.created', conversation_id: 'c', event_seq: 9, message: message('c', 9, { thread_root_id: 'c-1', sender_id: 'me' }) }, context);
    expect(state.threadReadSeq('c-1')).toBe(9);
    state.threads.applyFollowed([{ root: message('c', 2), last_read_seq: 12, unread_count: 0 }]);
    expect(state.threadReadSeq('c-2')).toBe(12);
    expect(changes.every((id) => id === 'c')).toBe(true);
    // Leaving the conversation forgets its threads.
    state.applyMemberRemoved('c', 'me');
    expect(state.threadReadSeq('c-1')).toBe(0);
  });

  it('drops loaded pages when a snapshot resets the conversation (they may have gaps)', () => {
    const { state } = arrange();
    const reply = message('c', 2, { thread_root_id: 'c-1' });
    state.applyThreadPage({ root: message('c', 1), messages: [reply], has_more: false });
    state.applySnapshot({ conversation: conversation(), messages: [message('c', 3)], has_more_messages: true, pins: [] });
    expect(state.threadReplies('c', 'c-1')).toEqual([]);
  });
});

describe('Outbox reply fields', () => {
  it('stores reply_to_id and thread_root_id in the entry and sends them with every delivery', async () => {
    const store = new MemoryOutboxStore();
    const outbox = new Outbox({ store, backoff: { initialDelayMs: 10, maxDelayMs: 10, jitter: 0 } });
    const delivered: OutboxEntry[] = [];
    let attempts = 0;
    await outbox.start('me', {
      deliver: (entry) => {
        delivered.push(entry);
        // The first try is lost: the resend must name the same thread and quote.
        return ++attempts === 1 ? Promise.reject(new Error('lost')) : Promise.resolve(storedFrom(entry, 4));
      },
    });
    const sent = outbox.send('c', 'agreed', { messageId: 'm1', replyToId: 'c-2', threadRootId: 'c-1' });
    expect(store.load()[0]).toMatchObject({ reply_to_id: 'c-2', thread_root_id: 'c-1' });
    await sent;
    expect(delivered.map(sendFieldsOf)).toEqual([
      { message_id: 'm1', conversation_id: 'c', content: 'agreed', reply_to_id: 'c-2', thread_root_id: 'c-1' },
      { message_id: 'm1', conversation_id: 'c', content: 'agreed', reply_to_id: 'c-2', thread_root_id: 'c-1' },
    ]);
    // A plain send names neither (the v1 body).
    expect(sendFieldsOf({ ...delivered[0]!, reply_to_id: undefined, thread_root_id: undefined })).toEqual({ message_id: 'm1', conversation_id: 'c', content: 'agreed' });
  });
});
