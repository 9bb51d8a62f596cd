/**
 * The thread slices of the web app's stores without a browser: the conversation's list leaves
 * thread replies out (they show in their thread) but reads past them, keeps its array while the
 * window is unchanged, and a thread's view follows its replies and root; following and
 * unfollowing a thread shows at once, sticks through a list, and is undone when refused.
 */
import { ChatState, MemoryOutboxStore, Outbox, type Conversation, type FollowedThread, type Message, type Session } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { MessagesStore } from '../src/lib/stores/messages-store.js';
import { ThreadsStore } from '../src/lib/stores/threads-store.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const C = '20000000-0000-4000-8000-00000000000c';
const AT = '2026-01-01T00:00:00.000Z';
const id = (seq: number) => `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`;
const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

function message(seq: number, overrides: Partial<Message> = {}): Message {
  return { message_id: id(seq), conversation_id: C, sender_id: BOB, content: `m${seq}`, seq, created_at: AT, edited_at: null, deleted: false, version: seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [], ...overrides };
}

/** What the thread store asks of `session.threads`; unused ones fail the test. */
type ThreadsApi = Partial<Pick<Session['threads'], 'follow' | 'unfollow' | 'list'>>;

function wired(api: ThreadsApi = {}) {
  const state = new ChatState(() => ME, { windowSize: Number.POSITIVE_INFINITY });
  const member = (user_id: string) => ({ user_id, username: user_id, is_bot: false, display_name: null, avatar_url: null, role: 'member' as const, joined_at: AT, last_read_seq: 0 });
  const conversation: Conversation = { id: C, title: 't', created_at: AT, created_by: ME, last_seq: 0, last_event_seq: 1, members: [member(ME), member(BOB)] };
  state.applyConversation(conversation);
  // The stores read only the session's state, its user and the thread requests.
  const session = { state, userId: ME, threads: api } as unknown as Session;
  const messages = new MessagesStore(() => session, new Outbox({ store: new MemoryOutboxStore() }));
  const threads = new ThreadsStore(() => session);
  state.changes.on('messages', (cid) => {
    messages.changed(cid);
    threads.changed(cid);
  });
  state.changes.on('threads', (cid) => threads.changed(cid));
  return { state, messages, threads };
}

describe('thread slices of the stores', () => {
  it('leaves thread replies out of the conversation’s list but reads past them', async () => {
    const { state, messages } = wired();
    const view = messages.of(C);
    state.applyMessage(message(1));
    state.applyMessage(message(2, { thread_root_id: id(1) }));
    await settle();
    expect(view.get().messages.map((m) => m.seq)).toEqual([1]);
    expect(view.get().latestSeq).toBe(2);
    const before = view.get();
    messages.changed(C);
    await settle();
    expect(view.get()).toBe(before);
  });

  it('follows a thread: its replies live, its root’s summary, deleted replies kept', async () => {
    const { state, threads } = wired();
    state.applyMessage(message(1));
    const view = threads.of(C, id(1));
    expect(view.get()).toMatchObject({ replies: [], loading: false, error: null });
    const reply = message(2, { thread_root_id: id(1) });
    state.applyMessage(reply);
    state.applyUpdate(message(1, { version: 3, thread: { reply_count: 1, last_reply_at: AT, last_reply_id: id(2) } }));
    await settle();
    expect(view.get().replies).toEqual([reply]);
    expect(view.get().root?.thread?.reply_count).toBe(1);
    state.applyUpdate({ ...reply, deleted: true, content: '', version: 4 });
    await settle();
    expect(view.get().replies.map((m) => m.deleted)).toEqual([true]);
    expect(threads.find(C, id(2))?.deleted).toBe(true);
  });
});

describe('following threads in the thread store', () => {
  const summary = (replyCount: number) => ({ thread: { reply_count: replyCount, last_reply_at: AT, last_reply_id: id(replyCount + 1) } });

  it('unfollows and follows at once, keeps an unfollow through a list that still has it, and undoes a refused one', async () => {
    const calls: string[] = [];
    let refuse = false;
    const request = (what: string) => async (rootId: string) => {
      calls.push(`${what} ${rootId}`);
      if (refuse) throw new Error('offline');
    };
    let listed: FollowedThread[] = [];
    const { state, threads } = wired({ follow: request('follow'), unfollow: request('unfollow'), list: async () => listed });
    const root = message(1, { sender_id: ME, ...summary(1) });
    state.applyMessage(root);
    state.applyMessage(message(2, { thread_root_id: id(1) }));
    const followed = threads.followed(C, id(1));
    const unread = threads.unread(C, id(1));
    // Your root with a reply: followed, and the reply is new.
    expect([followed.get(), unread.get()]).toEqual([true, 1]);

    await threads.setFollowed(C, id(1), false);
    await settle();
    expect([followed.get(), unread.get()]).toEqual([false, 0]);
    // An answer that still lists it (asked before the unfollow arrived) does not undo it.
    listed = [{ root, last_read_seq: 0, unread_count: 1 }];
    await threads.refreshFollowed();
    await settle();
    expect(followed.get()).toBe(false);

    refuse = true;
    await expect(threads.setFollowed(C, id(1), true)).rejects.toThrow('offline');
    await settle();
    expect([followed.get(), unread.get()]).toEqual([false, 0]);
    // Posting in the thread follows it again, as the server does.
    threads.posted(C, id(1));
    await settle();
    expect([followed.get(), unread.get()]).toEqual([true, 1]);
    expect(calls).toEqual([`unfollow ${id(1)}`, `follow ${id(1)}`]);
  });

  it('does not follow your own root that a complete list left out (unfollowed before a reload, or elsewhere), until you reply', async () => {
    const { state, threads } = wired({ list: async () => [] });
    state.applyMessage(message(1, { sender_id: ME, ...summary(1) }));
    state.applyMessage(message(2, { thread_root_id: id(1) }));
    const followed = threads.followed(C, id(1));
    const unread = threads.unread(C, id(1));
    expect(followed.get()).toBe(true);
    await threads.refreshFollowed();
    await settle();
    expect([followed.get(), unread.get()]).toEqual([false, 0]);
    // Another reply by bob does not follow it again; one of yours (from any device) does.
    state.applyMessage(message(3, { thread_root_id: id(1) }));
    state.applyUpdate(message(1, { sender_id: ME, version: 5, ...summary(2) }));
    await settle();
    expect([followed.get(), unread.get()]).toEqual([false, 0]);
    state.applyMessage(message(4, { sender_id: ME, thread_root_id: id(1) }));
    await settle();
    expect(followed.get()).toBe(true);
  });
});
