import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../src/state/apply-event.js';
import { ChatState } from '../../src/state/chat-state.js';
import { withReactionCount, type ReactionChange } from '../../src/state/own-reactions.js';
import type { FeedEvent } from '../../src/session/feed-event.js';
import { message } from './fixtures.js';

const ME = 'me';
const reaction = (event_seq: number, emoji: string, count: number, user_id = 'ann', type: ReactionChange['type'] = 'reaction.added', message_id = 'c-1'): ReactionChange => ({
  type,
  conversation_id: 'c',
  event_seq,
  message_id,
  emoji,
  user_id,
  count,
});

function stateWith(...messages: ReturnType<typeof message>[]) {
  const state = new ChatState(() => ME);
  state.applyHistory(messages);
  const changes: string[] = [];
  for (const entity of ['messages', 'reactions', 'conversation'] as const) state.changes.on(entity, () => changes.push(entity));
  return { state, changes };
}

describe('withReactionCount', () => {
  it('sets an emoji to a count in place, appends a new one, drops one at 0, and raises the version', () => {
    const m = message('c', 1, { version: 3, reactions: [{ emoji: '👍', count: 1 }, { emoji: '🎉', count: 2 }] });
    expect(withReactionCount(m, '👍', 4, 5)).toMatchObject({ version: 5, reactions: [{ emoji: '👍', count: 4 }, { emoji: '🎉', count: 2 }] });
    expect(withReactionCount(m, '❤️', 1, 6).reactions.map((r) => r.emoji)).toEqual(['👍', '🎉', '❤️']);
    expect(withReactionCount(m, '👍', 0, 7).reactions).toEqual([{ emoji: '🎉', count: 2 }]);
    expect(m.reactions).toHaveLength(2);
  });
});

describe('ChatState reactions', () => {
  it('takes each event count as the total, so a replayed event changes nothing and an older one is skipped', () => {
    const { state, changes } = stateWith(message('c', 1, { version: 1 }));
    state.reactionState.apply(reaction(2, '👍', 1));
    state.reactionState.apply(reaction(3, '👍', 2, 'bob'));
    state.reactionState.apply(reaction(3, '👍', 2, 'bob'));
    state.reactionState.apply(reaction(2, '👍', 1));
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '👍', count: 2, mine: false }]);
    expect(state.messages('c')[0]!.version).toBe(3);
    state.reactionState.apply(reaction(4, '👍', 1, 'ann', 'reaction.removed'));
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '👍', count: 1, mine: false }]);
    expect(changes.filter((c) => c === 'messages')).toHaveLength(3);
  });

  it('keeps your own reactions from events naming you, and from your own requests', () => {
    const { state, changes } = stateWith(message('c', 1));
    state.reactionState.apply(reaction(2, '👍', 1, ME));
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '👍', count: 1, mine: true }]);
    expect(changes).toContain('reactions');
    state.reactionState.setOwn('c', 'c-1', '🎉', true);
    // The count is the server's: it comes with the event.
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '👍', count: 1, mine: true }]);
    state.reactionState.apply(reaction(3, '🎉', 1, ME));
    state.reactionState.apply(reaction(4, '👍', 0, ME, 'reaction.removed'));
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '🎉', count: 1, mine: true }]);
  });

  it('takes your own from a history page, unless an event newer than the page was applied', () => {
    const { state } = stateWith();
    state.reactionState.apply(reaction(9, '🎉', 1, ME, 'reaction.added', 'c-2'));
    state.applyHistory(
      [message('c', 1, { version: 5, reactions: [{ emoji: '👍', count: 2 }] }), message('c', 2, { version: 8 })],
      { 'c-1': ['👍'] },
    );
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '👍', count: 2, mine: true }]);
    expect(state.reactions('c', 'c-2')).toEqual([]);
    state.applyHistory([message('c', 2, { version: 9, reactions: [{ emoji: '🎉', count: 1 }] })], {});
    // The page (version 9) includes the event (9): it says you no longer react.
    expect(state.reactions('c', 'c-2')).toEqual([{ emoji: '🎉', count: 1, mine: false }]);
  });

  it('replaces your own with a snapshot, and forgets them when a message is deleted or you leave', () => {
    const { state } = stateWith(message('c', 1, { reactions: [{ emoji: '👀', count: 1 }] }));
    state.reactionState.setOwn('c', 'c-1', '👀', true);
    const conversation = { id: 'c', title: 't', created_at: '', created_by: 'ann', last_seq: 2, last_event_seq: 9, members: [] };
    const latest = [message('c', 1, { version: 7, reactions: [{ emoji: '✅', count: 1 }] }), message('c', 2, { version: 8, reactions: [{ emoji: '👀', count: 1 }] })];
    state.applySnapshot({ conversation, messages: latest, has_more_messages: false, pins: [], my_reactions: { 'c-2': ['👀'] } });
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '✅', count: 1, mine: false }]);
    expect(state.reactions('c', 'c-2')).toEqual([{ emoji: '👀', count: 1, mine: true }]);
    state.applyUpdate(message('c', 2, { version: 10, deleted: true, content: '' }));
    expect(state.reactions('c', 'c-2')).toEqual([]);
    state.reactionState.setOwn('c', 'c-1', '✅', true);
    state.applyMemberRemoved('c', ME);
    state.applyHistory([message('c', 1, { version: 7, reactions: [{ emoji: '✅', count: 1 }] })]);
    expect(state.reactions('c', 'c-1')).toEqual([{ emoji: '✅', count: 1, mine: false }]);
  });

  it('updates the conversation last message, and announces reaction events from the feed', () => {
    const state = new ChatState(() => ME);
    state.applyMessage(message('c', 1));
    const event: FeedEvent = { ...reaction(2, '🔥', 1, 'bob'), type: 'reaction.added' };
    expect(applyEvent(state, event, { selfId: ME, seenUpTo: 0 })).toEqual([
      { name: 'reaction.added', payload: { conversation_id: 'c', message_id: 'c-1', emoji: '🔥', user_id: 'bob', count: 1 } },
    ]);
    expect(state.lastMessage('c')?.reactions).toEqual([{ emoji: '🔥', count: 1 }]);
    // A message not held: nothing to count on, nothing fails.
    state.reactionState.apply(reaction(3, '🔥', 1, 'bob', 'reaction.added', 'elsewhere'));
    expect(state.reactions('c', 'elsewhere')).toEqual([]);
  });
});
