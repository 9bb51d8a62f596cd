/**
 * Pins in the SDK's state: applied from message.pinned / message.unpinned events (live frames
 * and the log alike), replaced by a snapshot's, dropped with a deleted message or a conversation
 * the caller left; each change reported once as `pins`.
 */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import { PinnedMessages } from '../../src/state/pinned-messages.js';
import { feedEventOf, type FeedEvent } from '../../src/session/feed-event.js';
import type { Conversation, Member } from '../../src/types.js';
import { message } from './fixtures.js';

const AT = '2026-12-04T10:00:00.000Z';
const ref = (message_id: string, pinned_by = 'ann') => ({ message_id, pinned_by, pinned_at: AT });
const pinEvent = (type: 'message.pinned' | 'message.unpinned', event_seq: number, message_id: string, user_id = 'ann'): FeedEvent => ({ type, conversation_id: 'c', event_seq, message_id, user_id, at: AT });
const context = { selfId: 'me', seenUpTo: 0 };

function member(user_id: string): Member {
  return { user_id, username: user_id, is_bot: false, display_name: null, avatar_url: null, role: 'member', joined_at: AT, last_read_seq: 0 };
}

function conversation(last_event_seq: number): Conversation {
  return { id: 'c', title: 'c', created_at: AT, created_by: 'me', last_seq: 3, last_event_seq, members: [member('me'), member('ann')] };
}

/** A state that knows conversation c, and the pins changes it reports. */
function arrange() {
  const state = new ChatState(() => 'me');
  state.applySnapshot({ conversation: conversation(4), messages: [message('c', 1), message('c', 2), message('c', 3)], has_more_messages: false, pins: [] });
  const changes: string[] = [];
  state.changes.on('pins', (id) => changes.push(id));
  return { state, changes };
}

describe('PinnedMessages', () => {
  it('keeps the newest pin first; a repeat pin or an unpin of what is not pinned changes nothing', () => {
    const pins = new PinnedMessages();
    expect(pins.pin('c', ref('m1'))).toBe(true);
    expect(pins.pin('c', ref('m2', 'bob'))).toBe(true);
    expect(pins.pin('c', ref('m1', 'bob'))).toBe(false);
    expect(pins.list('c')).toEqual([ref('m2', 'bob'), ref('m1')]);
    expect(pins.unpin('c', 'm3')).toBe(false);
    expect(pins.unpin('c', 'm2')).toBe(true);
    expect(pins.list('c')).toEqual([ref('m1')]);
    pins.reset('c', [ref('m9')]);
    expect(pins.list('c')).toEqual([ref('m9')]);
    pins.forget('c');
    expect(pins.list('c')).toEqual([]);
  });
});

describe('ChatState pins', () => {
  it('applies pin events in order, each once, reporting each change', () => {
    const { state, changes } = arrange();
    applyEvent(state, pinEvent('message.pinned', 5, 'c-1'), context);
    applyEvent(state, pinEvent('message.pinned', 6, 'c-2', 'me'), context);
    // Applied twice (a live frame and the log): nothing changes.
    applyEvent(state, pinEvent('message.pinned', 6, 'c-2', 'me'), context);
    expect(state.pins('c')).toEqual([ref('c-2', 'me'), ref('c-1')]);
    applyEvent(state, pinEvent('message.unpinned', 7, 'c-1', 'me'), context);
    applyEvent(state, pinEvent('message.unpinned', 7, 'c-1', 'me'), context);
    expect(state.pins('c')).toEqual([ref('c-2', 'me')]);
    expect(changes).toEqual(['c', 'c', 'c']);
  });

  it('takes the pins of a snapshot (those changed while cut off), replacing what it held', () => {
    const { state } = arrange();
    applyEvent(state, pinEvent('message.pinned', 5, 'c-1'), context);
    state.applySnapshot({ conversation: conversation(9), messages: [message('c', 3)], has_more_messages: true, pins: [ref('c-2', 'bob'), ref('c-0')] });
    expect(state.pins('c')).toEqual([ref('c-2', 'bob'), ref('c-0')]);
  });

  it('drops the pin of a deleted message (no unpin event says so) and every pin of a conversation the caller left', () => {
    const { state, changes } = arrange();
    applyEvent(state, pinEvent('message.pinned', 5, 'c-1'), context);
    applyEvent(state, pinEvent('message.pinned', 6, 'c-2'), context);
    applyEvent(state, { type: 'message.deleted', conversation_id: 'c', event_seq: 7, message: message('c', 1, { content: '', deleted: true, version: 7 }) }, context);
    expect(state.pins('c')).toEqual([ref('c-2')]);
    state.applyMemberRemoved('c', 'me');
    expect(state.pins('c')).toEqual([]);
    expect(changes).toEqual(['c', 'c', 'c', 'c']);
  });

  it('reads live pin frames as the same events', () => {
    const frame = { type: 'message.pinned' as const, conversation_id: 'c', event_seq: 5, message_id: 'c-1', user_id: 'ann', at: AT };
    expect(feedEventOf(frame)).toEqual(pinEvent('message.pinned', 5, 'c-1'));
    expect(feedEventOf({ ...frame, type: 'message.unpinned' })).toEqual(pinEvent('message.unpinned', 5, 'c-1'));
  });
});
