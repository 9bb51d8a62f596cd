import { describe, expect, it } from 'vitest';
import { MessageSequencer } from '../../src/session/message-sequencer.js';
import { message } from './fixtures.js';

function harness() {
  const delivered: string[] = [];
  const gaps: string[] = [];
  const sequencer = new MessageSequencer({
    deliver: (m) => delivered.push(`${m.conversation_id}${m.seq}`),
    gap: (conversationId) => gaps.push(conversationId),
  });
  return { sequencer, delivered, gaps };
}

describe('SDK MessageSequencer', () => {
  it('delivers the next seq at once and drops repeats, by seq and by message_id', () => {
    const { sequencer, delivered, gaps } = harness();
    sequencer.track('a', 5);
    sequencer.offer(message('a', 6));
    sequencer.offer(message('a', 6));
    sequencer.offer(message('a', 4));
    sequencer.offer(message('a', 7));
    // The same message under a higher seq (a server bug or a replay) is not shown twice.
    sequencer.offer(message('a', 8, { message_id: 'a-7' }));
    expect(delivered).toEqual(['a6', 'a7']);
    expect(gaps).toEqual([]);
    expect(sequencer.cursor('a')).toBe(7);
  });

  it('starts an untracked conversation just before its first live message; track() does not reset a tracked one', () => {
    const { sequencer, delivered } = harness();
    sequencer.offer(message('b', 40));
    sequencer.track('b', 0);
    sequencer.offer(message('b', 41));
    expect(delivered).toEqual(['b40', 'b41']);
    expect(sequencer.cursors()).toEqual(new Map([['b', 41]]));
    sequencer.forget('b');
    expect(sequencer.cursor('b')).toBeUndefined();
  });

  it('holds messages after a gap, asks for the history in between, then releases in seq order', () => {
    const { sequencer, delivered, gaps } = harness();
    sequencer.track('a', 1);
    sequencer.offer(message('a', 4));
    sequencer.offer(message('a', 3));
    expect(delivered).toEqual([]);
    expect(gaps).toEqual(['a']);

    sequencer.acceptHistory([message('a', 2), message('a', 3)]);
    expect(delivered).toEqual(['a2', 'a3']);
    expect(sequencer.endCatchUp('a')).toBe(true);
    expect(delivered).toEqual(['a2', 'a3', 'a4']);
    sequencer.offer(message('a', 5));
    expect(delivered).toEqual(['a2', 'a3', 'a4', 'a5']);
  });

  it('reports a gap that remains after catch-up and keeps holding', () => {
    const { sequencer, delivered, gaps } = harness();
    sequencer.track('a', 0);
    sequencer.offer(message('a', 5));
    sequencer.acceptHistory([message('a', 1), message('a', 2)]);
    expect(sequencer.endCatchUp('a')).toBe(false);
    expect(gaps).toEqual(['a', 'a']);
    expect(delivered).toEqual(['a1', 'a2']);
    sequencer.offer(message('a', 3));
    expect(delivered).toEqual(['a1', 'a2']);
  });

  it('skipGap gives up on history that never comes: held messages go out from the lowest on', () => {
    const { sequencer, delivered } = harness();
    sequencer.track('a', 0);
    sequencer.offer(message('a', 7));
    sequencer.offer(message('a', 5));
    sequencer.offer(message('a', 6));
    sequencer.skipGap('a');
    expect(delivered).toEqual(['a5', 'a6', 'a7']);
    sequencer.offer(message('a', 8));
    expect(delivered).toEqual(['a5', 'a6', 'a7', 'a8']);
    sequencer.skipGap('a');
    sequencer.skipGap('unknown');
    expect(delivered).toHaveLength(4);
  });

  it('holds live messages during a catch-up, without duplicating those the history also brings', () => {
    const { sequencer, delivered } = harness();
    sequencer.track('a', 2);
    sequencer.beginCatchUp('a');
    sequencer.offer(message('a', 3));
    sequencer.offer(message('a', 5));
    expect(delivered).toEqual([]);
    sequencer.acceptHistory([message('a', 1), message('a', 2), message('a', 3), message('a', 4)]);
    expect(delivered).toEqual(['a3', 'a4']);
    expect(sequencer.endCatchUp('a')).toBe(true);
    expect(delivered).toEqual(['a3', 'a4', 'a5']);
  });

  it('after a reconnect holds every conversation until releaseAll(), which names those still missing history', () => {
    const { sequencer, delivered } = harness();
    sequencer.track('a', 0);
    sequencer.track('b', 0);
    sequencer.holdEverything();
    sequencer.offer(message('a', 2));
    sequencer.offer(message('a', 1));
    sequencer.offer(message('b', 3));
    expect(sequencer.endCatchUp('a')).toBe(true);
    expect(delivered).toEqual([]);
    expect(sequencer.releaseAll()).toEqual(['b']);
    expect(delivered).toEqual(['a1', 'a2']);
    sequencer.acceptHistory([message('b', 1), message('b', 2)]);
    expect(sequencer.endCatchUp('b')).toBe(true);
    expect(delivered).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
  });

  it('does not release a conversation still catching up when everything is released', () => {
    const { sequencer, delivered } = harness();
    sequencer.track('a', 0);
    sequencer.holdEverything();
    sequencer.beginCatchUp('a');
    sequencer.offer(message('a', 1));
    expect(sequencer.releaseAll()).toEqual([]);
    expect(delivered).toEqual([]);
    expect(sequencer.endCatchUp('a')).toBe(true);
    expect(delivered).toEqual(['a1']);
  });
});
