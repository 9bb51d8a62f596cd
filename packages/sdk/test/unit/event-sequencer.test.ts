import { describe, expect, it } from 'vitest';
import { EventSequencer } from '../../src/session/event-sequencer.js';
import type { FeedEvent } from '../../src/session/feed-event.js';
import { message } from './fixtures.js';

/** A message.created event at `event_seq` (the message's seq is the same, for reading). */
function created(conversationId: string, eventSeq: number): FeedEvent {
  return { type: 'message.created', conversation_id: conversationId, event_seq: eventSeq, message: message(conversationId, eventSeq, { version: eventSeq }) };
}

function conversationCreated(conversationId: string): FeedEvent {
  const conversation = { id: conversationId, title: 't', created_at: '', created_by: 'u', last_seq: 0, last_event_seq: 1, members: [] };
  return { type: 'conversation.created', conversation_id: conversationId, event_seq: 1, conversation };
}

function harness() {
  const applied: string[] = [];
  const gaps: Array<[string, number]> = [];
  const unknown: string[] = [];
  const sequencer = new EventSequencer({
    apply: (e) => applied.push(`${e.conversation_id}${e.event_seq}`),
    gap: (id, after) => gaps.push([id, after]),
    adoptable: (e) => e.type === 'conversation.created',
    unknown: (id) => unknown.push(id),
  });
  return { sequencer, applied, gaps, unknown };
}

describe('SDK EventSequencer', () => {
  it('applies the next event at once and drops those at or below the position', () => {
    const { sequencer, applied, gaps } = harness();
    sequencer.track('a', 5);
    for (const seq of [6, 6, 4, 5, 7]) sequencer.offer(created('a', seq));
    expect(applied).toEqual(['a6', 'a7']);
    expect(gaps).toEqual([]);
    expect(sequencer.position('a')).toBe(7);
  });

  it('holds events past a gap, asks for the events after the position, then applies in order', () => {
    const { sequencer, applied, gaps } = harness();
    sequencer.track('a', 1);
    sequencer.offer(created('a', 4));
    sequencer.offer(created('a', 3));
    expect(applied).toEqual([]);
    expect(gaps).toEqual([['a', 1]]);
    // Events read from the log are applied even while the gap is open; repeats are skipped.
    expect(sequencer.accept('a', [created('a', 1), created('a', 2), created('a', 3)])).toBe(true);
    expect(applied).toEqual(['a2', 'a3']);
    sequencer.endFill('a');
    expect(applied).toEqual(['a2', 'a3', 'a4']);
    sequencer.offer(created('a', 5));
    expect(applied).toEqual(['a2', 'a3', 'a4', 'a5']);
  });

  it('asks again when a gap remains after a fill', () => {
    const { sequencer, applied, gaps } = harness();
    sequencer.track('a', 0);
    sequencer.offer(created('a', 5));
    sequencer.accept('a', [created('a', 1), created('a', 2)]);
    sequencer.endFill('a');
    expect(gaps).toEqual([['a', 0], ['a', 2]]);
    expect(applied).toEqual(['a1', 'a2']);
    expect(sequencer.accept('a', [created('a', 4)])).toBe(false);
  });

  it('holds every live event during a sync and applies those past the positions it reached on release', () => {
    const { sequencer, applied, unknown } = harness();
    sequencer.track('a', 0);
    sequencer.hold();
    sequencer.offer(created('a', 2));
    sequencer.offer(created('a', 1));
    sequencer.offer(created('b', 8));
    sequencer.offer(created('c', 3));
    expect(applied).toEqual([]);
    sequencer.accept('a', [created('a', 1)]);
    // The sync answered b as a snapshot at 7; c is not yours.
    sequencer.track('b', 7);
    sequencer.release();
    expect(applied).toEqual(['a1', 'a2', 'b8']);
    expect(unknown).toEqual([]);
    sequencer.offer(created('c', 4));
    expect(unknown).toEqual(['c']);
  });

  it('starts an unknown conversation at its creation, and forgets one you left', () => {
    const { sequencer, applied } = harness();
    sequencer.offer(conversationCreated('n'));
    sequencer.offer(created('n', 2));
    expect(applied).toEqual(['n1', 'n2']);
    sequencer.forget('n');
    expect(sequencer.position('n')).toBeUndefined();
    expect(sequencer.positions()).toEqual(new Map());
  });
});
