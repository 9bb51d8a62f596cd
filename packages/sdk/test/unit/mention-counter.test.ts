/**
 * `ChatState.unreadMentions`: seeded from the conversation list's `unread_mentions`, raised by a
 * message mentioning you (by name or @all, by someone else), lowered by an edit that removes the
 * mention, a deletion, and reading.
 */
import { describe, expect, it } from 'vitest';
import { ChatState } from '../../src/state/chat-state.js';
import type { ConversationSummary, Member } from '../../src/types.js';
import { message } from './fixtures.js';

const ME = 'me';
const member = (user_id: string, last_read_seq = 0): Member => ({ user_id, username: user_id, is_bot: false, display_name: null, avatar_url: null, role: 'member', joined_at: '2026-01-01T00:00:00.000Z', last_read_seq });

function summary(last_seq: number, unread_count: number, unread_mentions: number, lastRead: number): ConversationSummary {
  return {
    id: 'c', title: 'c', created_at: '2026-01-01T00:00:00.000Z', created_by: 'ann', last_seq, last_event_seq: last_seq,
    members: [member('ann'), member(ME, lastRead)], last_message: null, unread_count, unread_mentions,
  };
}

function arrange(seed = summary(4, 3, 2, 1)) {
  const state = new ChatState(() => ME);
  state.applySummary(seed);
  return state;
}

describe('ChatState.unreadMentions', () => {
  it('starts from the server count and counts new messages that mention you, by name or @all, from others only', () => {
    const state = arrange();
    expect(state.unreadMentions('c')).toBe(2);
    state.applyMessage(message('c', 5, { version: 5, mentions: [ME] }));
    state.applyMessage(message('c', 6, { version: 6, mentions_all: true }));
    state.applyMessage(message('c', 7, { version: 7, mentions: ['bob'] }));
    state.applyMessage(message('c', 8, { version: 8, sender_id: ME, mentions_all: true }));
    expect(state.unreadMentions('c')).toBe(4);
  });

  it('is lowered by an edit that removes the mention and raised again by one that adds it', () => {
    const state = arrange();
    state.applyMessage(message('c', 5, { version: 5, mentions: [ME] }));
    expect(state.unreadMentions('c')).toBe(3);
    state.applyUpdate(message('c', 5, { version: 6, content: 'edited', mentions: [] }));
    expect(state.unreadMentions('c')).toBe(2);
    state.applyUpdate(message('c', 5, { version: 7, content: 'again', mentions: [ME] }));
    expect(state.unreadMentions('c')).toBe(3);
    state.applyUpdate(message('c', 5, { version: 8, content: '', deleted: true, mentions: [] }));
    expect(state.unreadMentions('c')).toBe(2);
  });

  it('lowers a mention the server counted when an edit of a message held from before the count removes it', () => {
    const state = new ChatState(() => ME);
    state.applyHistory([message('c', 3, { version: 3, mentions: [ME] })]);
    state.applySummary(summary(4, 3, 2, 1));
    state.applyUpdate(message('c', 3, { version: 9, content: 'edited', mentions: [] }));
    expect(state.unreadMentions('c')).toBe(1);
    // The same edit applied twice lowers it once.
    state.applyUpdate(message('c', 3, { version: 9, content: 'edited', mentions: [] }));
    expect(state.unreadMentions('c')).toBe(1);
  });

  it('falls to what is left above your new read position, and to 0 when you read to the end', () => {
    const state = arrange();
    state.applyMessage(message('c', 5, { version: 5, mentions: [ME] }));
    state.applyMessage(message('c', 6, { version: 6, mentions: [ME] }));
    state.applyRead('c', ME, 5);
    expect(state.unreadMentions('c')).toBe(1);
    state.applyRead('c', ME, 6);
    expect(state.unreadMentions('c')).toBe(0);
  });

  it('takes a later server count from the conversation list', () => {
    const state = arrange();
    state.seedUnread(summary(9, 5, 4, 1));
    expect(state.unreadMentions('c')).toBe(4);
    state.applyMessage(message('c', 10, { version: 10, mentions_all: true }));
    expect(state.unreadMentions('c')).toBe(5);
  });
});
