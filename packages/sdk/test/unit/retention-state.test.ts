/** `messages.expired` (docs/API.md, "Retention") applied to ChatState: the messages, their pins and the last message go. */
import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import type { Conversation } from '../../src/types.js';
import { message } from './fixtures.js';

const conversation: Conversation = { id: 'c', title: 't', created_at: '2026-12-07T10:00:00.000Z', created_by: 'other', last_seq: 5, last_event_seq: 9, members: [] };

describe('messages.expired', () => {
  it('drops every message at or below through_seq, with their pins, and records the position on the conversation', () => {
    const state = new ChatState(() => 'me');
    state.applyConversation(conversation);
    for (let seq = 1; seq <= 5; seq++) state.applyMessage(message('c', seq));
    state.pinned.pin('c', { message_id: 'c-2', pinned_by: 'other', pinned_at: '2026-12-07T10:00:00.000Z' });
    state.pinned.pin('c', { message_id: 'c-5', pinned_by: 'other', pinned_at: '2026-12-07T10:00:01.000Z' });
    const emitted = applyEvent(state, { type: 'messages.expired', conversation_id: 'c', event_seq: 10, through_seq: 3 }, { selfId: 'me', seenUpTo: 0 });
    expect(emitted).toEqual([{ name: 'messages.expired', payload: { conversation_id: 'c', through_seq: 3 } }]);
    expect(state.messages('c').map((m) => m.seq)).toEqual([4, 5]);
    expect(state.pinned.list('c').map((p) => p.message_id)).toEqual(['c-5']);
    expect(state.conversation('c')?.expired_through_seq).toBe(3);
    expect(state.lastMessage('c')?.seq).toBe(5);
    // Applied twice, or an older position later: nothing more changes.
    applyEvent(state, { type: 'messages.expired', conversation_id: 'c', event_seq: 10, through_seq: 2 }, { selfId: 'me', seenUpTo: 0 });
    expect(state.messages('c').map((m) => m.seq)).toEqual([4, 5]);
    expect(state.conversation('c')?.expired_through_seq).toBe(3);
  });

  it('forgets the last message when it expired too', () => {
    const state = new ChatState(() => 'me');
    state.applyConversation(conversation);
    state.applyMessage(message('c', 1));
    applyEvent(state, { type: 'messages.expired', conversation_id: 'c', event_seq: 3, through_seq: 1 }, { selfId: 'me', seenUpTo: 0 });
    expect(state.messages('c')).toEqual([]);
    expect(state.lastMessage('c')).toBeNull();
  });
});
