import { describe, expect, it, vi } from 'vitest';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import { MessageWindow } from '../../src/state/message-window.js';
import { ReadPositions } from '../../src/state/read-positions.js';
import { TypingTracker } from '../../src/state/typing-tracker.js';
import type { ConversationSummary, Member } from '../../src/types.js';
import { message, useFakeTimers } from './fixtures.js';

describe('MessageWindow', () => {
  it('keeps messages ascending by seq, replaces a seq, and drops the oldest beyond its limit', () => {
    const window = new MessageWindow(3);
    for (const seq of [5, 2, 4]) window.put(message('c', seq));
    window.put(message('c', 4, { content: 'replaced' }));
    expect(window.messages().map((m) => [m.seq, m.content])).toEqual([
      [2, 'message 2'],
      [4, 'replaced'],
      [5, 'message 5'],
    ]);
    window.put(message('c', 6));
    window.put(message('c', 1));
    expect(window.messages().map((m) => m.seq)).toEqual([4, 5, 6]);
    expect(window.oldestSeq).toBe(4);
  });

  it('applies an update only to a message still in the window', () => {
    const window = new MessageWindow();
    expect(window.oldestSeq).toBeNull();
    window.put(message('c', 2));
    window.update(message('c', 1, { deleted: true }));
    window.update(message('c', 2, { content: '', deleted: true }));
    expect(window.messages()).toEqual([message('c', 2, { content: '', deleted: true })]);
  });
});

describe('ReadPositions', () => {
  it('moves each member forward only and lists everyone but the caller', () => {
    const reads = new ReadPositions();
    reads.seed({ id: 'c', members: [member('me', 4), member('ann', 2)] });
    reads.read('c', 'ann', 5);
    reads.read('c', 'ann', 3);
    reads.seed({ id: 'c', members: [member('ann', 1), member('bob', 0)] });
    expect(reads.positions('c', 'me')).toEqual(new Map([['ann', 5], ['bob', 0]]));
    reads.removeMember('c', 'bob');
    expect([...reads.positions('c').keys()]).toEqual(['me', 'ann']);
    reads.forget('c');
    expect(reads.positions('c').size).toBe(0);
  });
});

describe('TypingTracker', () => {
  useFakeTimers();

  it('counts a user as typing until the heartbeat expires, renewed by each typing frame', () => {
    const stopped: string[] = [];
    const typing = new TypingTracker(1000, (c, u) => stopped.push(`${c}/${u}`));
    typing.typing('c', 'ann');
    vi.advanceTimersByTime(800);
    typing.typing('c', 'ann');
    vi.advanceTimersByTime(800);
    expect(typing.users('c')).toEqual(['ann']);
    expect(stopped).toEqual([]);
    vi.advanceTimersByTime(200);
    expect(typing.users('c')).toEqual([]);
    expect(stopped).toEqual(['c/ann']);
  });

  it('stops a user who sent their message, telling once; clear() cancels every timer', () => {
    const stopped: string[] = [];
    const typing = new TypingTracker(1000, (c, u) => stopped.push(`${c}/${u}`));
    typing.typing('c', 'ann');
    typing.typing('c', 'bob');
    typing.stop('c', 'ann');
    typing.stop('c', 'ann');
    typing.stop('c', 'nobody');
    expect(stopped).toEqual(['c/ann']);
    expect(typing.users('c')).toEqual(['bob']);
    typing.clear();
    vi.advanceTimersByTime(5000);
    expect(stopped).toEqual(['c/ann']);
    expect(typing.users('c')).toEqual([]);
  });
});

describe('ChatState', () => {
  it("seeds unread counts from a summary with the caller's own read position", () => {
    const state = new ChatState(() => 'me');
    state.applySummary(summary('c', 9, 2, [member('me', 7), member('ann', 9)]));
    expect(state.unreadCount('c')).toBe(2);
    expect(state.lastReadSeq('c')).toBe(7);
    expect(state.readPositions('c')).toEqual(new Map([['ann', 9]]));
    state.applyMessage(message('c', 10));
    expect(state.unreadCount('c')).toBe(3);
    state.applyRead('c', 'ann', 10);
    expect(state.unreadCount('c')).toBe(3);
    state.applyRead('c', 'me', 10);
    expect(state.unreadCount('c')).toBe(0);
  });

  it("forgets everything about a conversation the caller was removed from, but only a member's position for others", () => {
    const state = new ChatState(() => 'me');
    state.applySummary(summary('c', 1, 1, [member('me', 0), member('ann', 0)]));
    state.applyMessage(message('c', 2));
    state.applyMemberRemoved('c', 'ann');
    expect(state.conversation('c')?.members.map((m) => m.user_id)).toEqual(['me']);
    expect(state.readPositions('c').size).toBe(0);
    expect(state.unreadCount('c')).toBe(2);
    state.applyMemberRemoved('c', 'me');
    expect(state.conversation('c')).toBeUndefined();
    expect(state.messages('c')).toEqual([]);
    expect(state.unreadCount('c')).toBe(0);
  });

  it('never replaces a message with an older version of it, wherever the older copy comes from', () => {
    const state = new ChatState(() => 'me');
    state.applySummary(summary('c', 1, 1, [member('me', 0), member('ann', 0)]));
    const edited = message('c', 1, { content: 'edited', version: 5 });
    state.applyMessage(edited);
    expect(state.applyUpdate(message('c', 1, { content: 'older edit', version: 3 }))).toBe(false);
    state.applyMessage(message('c', 1, { version: 1 }));
    state.applySent(message('c', 1, { version: 1 }));
    expect(state.messages('c')).toEqual([edited]);
    expect(state.lastMessage('c')).toEqual(edited);
    const deleted = message('c', 1, { content: '', deleted: true, version: 6 });
    expect(state.applyUpdate(deleted)).toBe(true);
    expect(state.messages('c')).toEqual([deleted]);
    expect(state.unreadCount('c')).toBe(0);
  });

  it('sets a member to the state an event carries: added, promoted, removed; read positions that move are reported', () => {
    const reads: string[] = [];
    const state = new ChatState(() => 'me', {}, () => {}, (c, u, seq) => reads.push(`${u}@${seq}`));
    state.applySummary(summary('c', 4, 0, [member('me', 4), member('ann', 1)]));
    state.applyMember('c', 'bob', member('bob', 2));
    state.applyMember('c', 'ann', { ...member('ann', 3), role: 'owner' });
    expect(state.conversation('c')?.members.map((m) => `${m.user_id}:${m.role}`)).toEqual(['me:member', 'ann:owner', 'bob:member']);
    state.applyMember('c', 'bob', null);
    expect(state.conversation('c')?.members.map((m) => m.user_id)).toEqual(['me', 'ann']);
    // Seeding (the summary) and a member first seen are not news; ann moving from 1 to 3 is.
    expect(reads).toEqual(['ann@3']);
    state.applyMember('c', 'me', null);
    expect(state.conversation('c')).toBeUndefined();
  });

  it('a member added again starts from the new membership\'s read position, below the old one, yours included', () => {
    const state = new ChatState(() => 'me');
    state.applySummary(summary('c', 6, 0, [member('me', 4), member('ann', 3)]));
    // Read back from the log after both left and came back: each removal reads as it is now
    // (a member again), so nothing is dropped; each member.added restarts the position.
    for (const userId of ['me', 'ann']) {
      applyEvent(state, { type: 'member.removed', conversation_id: 'c', event_seq: 7, user_id: userId, member: member(userId, 0) }, { selfId: 'me', seenUpTo: 0 });
      applyEvent(state, { type: 'member.added', conversation_id: 'c', event_seq: 8, user_id: userId, member: member(userId, 0) }, { selfId: 'me', seenUpTo: 0 });
    }
    expect(state.lastReadSeq('c')).toBe(0);
    expect(state.readPositions('c')).toEqual(new Map([['ann', 0]]));
    state.applyRead('c', 'me', 2);
    expect(state.lastReadSeq('c')).toBe(2);
  });

  it("a member's message ends their typing indicator", () => {
    vi.useFakeTimers();
    try {
      const stopped: string[] = [];
      const state = new ChatState(() => 'me', { typingExpiryMs: 1000 }, (_c, u) => stopped.push(u));
      state.applyTyping('c', 'other');
      expect(state.typingUsers('c')).toEqual(['other']);
      state.applyMessage(message('c', 1));
      expect(state.typingUsers('c')).toEqual([]);
      expect(stopped).toEqual(['other']);
      state.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});

function member(user_id: string, last_read_seq: number): Member {
  return { user_id, username: user_id, is_bot: false, display_name: null, avatar_url: null, role: 'member', joined_at: '2026-01-01T00:00:00.000Z', last_read_seq };
}

function summary(id: string, last_seq: number, unread_count: number, members: Member[]): ConversationSummary {
  return { id, title: id, created_at: '2026-01-01T00:00:00.000Z', created_by: members[0]!.user_id, last_seq, last_event_seq: last_seq, members, last_message: null, unread_count, unread_mentions: 0 };
}
