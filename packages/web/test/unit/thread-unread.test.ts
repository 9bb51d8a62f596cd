/**
 * A followed thread's unread count: from the held replies when all are held, else from
 * GET /threads' count plus the replies that came in after it; 0 for a thread you do not follow
 * (whether you do is thread-follow's answer, test/unit/thread-follow.test.ts).
 */
import type { Message } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { threadUnread, type ListedThread } from '../../src/lib/stores/thread-unread.js';

const ME = '00000000-0000-4000-8000-000000000001';
const BOB = '00000000-0000-4000-8000-000000000002';
const CAROL = '00000000-0000-4000-8000-000000000003';
const at = (minute: number) => `2026-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

function message(seq: number, sender: string, extra: Partial<Message> = {}): Message {
  return { message_id: `10000000-0000-4000-8000-${String(seq).padStart(12, '0')}`, conversation_id: 'c', sender_id: sender, content: `m${seq}`, seq, created_at: at(seq), edited_at: null, deleted: false, version: seq, reply_to_id: null, thread_root_id: null, thread: null, reactions: [], mentions: [], mentions_all: false, attachments: [], ...extra };
}
const root = (sender: string, replyCount: number, lastReplyAt = at(59)) => message(1, sender, { thread: { reply_count: replyCount, last_reply_at: lastReplyAt, last_reply_id: 'x' } });
const reply = (seq: number, sender: string, deleted = false) => message(seq, sender, { thread_root_id: root(ME, 1).message_id, deleted });

describe('threadUnread', () => {
  it('counts held replies by others after your position, deleted ones not, in a thread you follow', () => {
    const replies = [reply(2, BOB), reply(3, ME), reply(4, BOB), reply(5, CAROL, true), reply(6, CAROL)];
    expect(threadUnread({ root: root(ME, 5), replies, readSeq: 3, selfId: ME, followed: true, listed: undefined })).toBe(2);
    expect(threadUnread({ root: root(ME, 5), replies, readSeq: 6, selfId: ME, followed: true, listed: undefined })).toBe(0);
  });

  it('is 0 for a thread you do not follow, even one you started or that the last list counted', () => {
    const replies = [reply(2, BOB), reply(3, CAROL)];
    expect(threadUnread({ root: root(ME, 2), replies, readSeq: 0, selfId: ME, followed: false, listed: undefined })).toBe(0);
    const listed: ListedThread = { lastReadSeq: 0, unreadCount: 1, lastReplyAt: at(2) };
    expect(threadUnread({ root: root(BOB, 1), replies: [reply(2, CAROL)], readSeq: 0, selfId: ME, followed: false, listed })).toBe(0);
    expect(threadUnread({ root: root(BOB, 1), replies: [reply(2, CAROL)], readSeq: 0, selfId: ME, followed: true, listed })).toBe(1);
  });

  it('uses the listed count when not all replies are held, plus the replies that came in after the list', () => {
    // 10 replies, only the last two held; the list (at minute 20) said 4 unread.
    const listed: ListedThread = { lastReadSeq: 5, unreadCount: 4, lastReplyAt: at(20) };
    const held = [reply(20, BOB), reply(21, CAROL)];
    expect(threadUnread({ root: root(BOB, 10), replies: held, readSeq: 5, selfId: ME, followed: true, listed })).toBe(5);
    // Read since (here or on another device): the held replies after the new position.
    expect(threadUnread({ root: root(BOB, 10), replies: held, readSeq: 20, selfId: ME, followed: true, listed })).toBe(1);
  });
});
