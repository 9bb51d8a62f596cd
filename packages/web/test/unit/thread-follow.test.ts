/**
 * Whether you follow a thread, as the web app decides it between two `GET /threads` answers:
 * your own choice on this device first, then the list; threads the list left out are followed
 * again only by what came after it (your reply; the first reply under your root); before any
 * answer, or past a list cut at its limit, the implicit rule (your root or your reply).
 */
import type { Message } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { threadFollowed, type FollowList, type ThreadFollowInput } from '../../src/lib/stores/thread-follow.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const C = 'c';
const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

function message(seq: number, sender: string, extra: Partial<Message> = {}): Message {
  return { message_id: `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, conversation_id: C, sender_id: sender, content: `m${seq}`, seq, created_at: at(seq), edited_at: null, deleted: false, version: seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [], ...extra };
}
const root = (sender: string, replyCount: number) => message(1, sender, replyCount > 0 ? { thread: { reply_count: replyCount, last_reply_at: at(59), last_reply_id: 'x' } } : {});
const reply = (seq: number, sender: string) => message(seq, sender, { thread_root_id: root(ME, 1).message_id });
/** A complete answer taken when the conversation's last seq was `since`. */
const listAt = (since: number, complete = true): FollowList => ({ complete, sinceSeq: (id) => (id === C ? since : 0) });

const followed = (input: Partial<ThreadFollowInput>) => threadFollowed({ conversationId: C, root: undefined, replies: [], selfId: ME, decision: undefined, listed: false, list: null, ...input });

describe('threadFollowed', () => {
  it('follows your own choice on this device over the list and the implicit rule', () => {
    expect(followed({ root: root(ME, 1), replies: [reply(2, BOB)], listed: true, list: listAt(2), decision: false })).toBe(false);
    expect(followed({ root: root(BOB, 1), replies: [reply(2, BOB)], list: listAt(2), decision: true })).toBe(true);
  });

  it('before any list: followed when you wrote the root or a reply', () => {
    expect(followed({ root: root(ME, 1), replies: [reply(2, BOB)] })).toBe(true);
    expect(followed({ root: root(BOB, 2), replies: [reply(2, BOB), reply(3, ME)] })).toBe(true);
    expect(followed({ root: root(BOB, 1), replies: [reply(2, BOB)] })).toBe(false);
  });

  it('follows what the list says: listed is followed, left out is not, even your own root (unfollowed)', () => {
    expect(followed({ root: root(BOB, 1), replies: [reply(2, BOB)], listed: true, list: listAt(2) })).toBe(true);
    expect(followed({ root: root(ME, 1), replies: [reply(2, BOB)], list: listAt(2) })).toBe(false);
    expect(followed({ root: root(BOB, 2), replies: [reply(2, ME), reply(3, BOB)], list: listAt(3) })).toBe(false);
  });

  it('follows again a thread left out of the list when you reply after it', () => {
    expect(followed({ root: root(BOB, 3), replies: [reply(2, ME), reply(3, BOB), reply(4, ME)], list: listAt(3) })).toBe(true);
  });

  it('follows your root whose first reply came after the list, or that has none yet', () => {
    expect(followed({ root: root(ME, 0), list: listAt(1) })).toBe(true);
    expect(followed({ root: root(ME, 2), replies: [reply(2, BOB), reply(3, BOB)], list: listAt(1) })).toBe(true);
    // One reply before the list: you were following it then, so not being listed means you unfollowed.
    expect(followed({ root: root(ME, 2), replies: [reply(2, BOB), reply(3, BOB)], list: listAt(2) })).toBe(false);
  });

  it('falls back on the implicit rule for a thread left out of a list cut at its limit', () => {
    expect(followed({ root: root(ME, 1), replies: [reply(2, BOB)], list: listAt(2, false) })).toBe(true);
    expect(followed({ root: root(BOB, 1), replies: [reply(2, BOB)], list: listAt(2, false) })).toBe(false);
  });

  it('treats a conversation the list knew nothing of as all after it', () => {
    expect(followed({ conversationId: 'other', root: { ...root(ME, 1), conversation_id: 'other' }, replies: [reply(2, BOB)], list: listAt(5) })).toBe(true);
  });
});
