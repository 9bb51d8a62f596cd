import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EventSequencer } from '../../../src/realtime/event-sequencer.js';

function harness(options = { gapHoldMs: 500, firstContactHoldMs: 30 }) {
  const sequencer = new EventSequencer(options);
  const released: number[] = [];
  const offer = (seq: number) => sequencer.offer('user', { conversationId: 'c', eventSeq: seq }, () => released.push(seq));
  return { sequencer, released, offer };
}

describe('EventSequencer', () => {
  // Holds are timed: every case runs on fake timers, advanced by hand.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('releases in seq order frames that arrive out of order', () => {
    const { released, offer } = harness();
    [1, 3, 2, 5, 4].forEach(offer);
    expect(released).toEqual([1, 2, 3, 4, 5]);
  });

  it('holds the first frame of a stream briefly, so a lower seq arriving just after goes first', () => {
    const { released, offer } = harness();
    offer(8);
    offer(7);
    expect(released).toEqual([]);
    vi.advanceTimersByTime(30);
    expect(released).toEqual([7, 8]);
    offer(9);
    expect(released).toEqual([7, 8, 9]);
  });

  it('lets a gap that never fills go after the hold, keeping the rest in order', () => {
    const { released, offer } = harness();
    offer(1);
    offer(3);
    offer(4);
    vi.advanceTimersByTime(499);
    expect(released).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(released).toEqual([1, 3, 4]);
  });

  // Regression (three processes on a Redis Cluster, CI): a frame delayed past the hold was
  // delivered after later ones, out of order.
  it('drops a frame that turns up after its gap was given up on, and a repeated one', () => {
    const { released, offer } = harness();
    offer(1);
    offer(3);
    vi.advanceTimersByTime(500);
    expect(released).toEqual([1, 3]);
    offer(2);
    offer(3);
    offer(4);
    expect(released).toEqual([1, 3, 4]);
  });

  // Regression (three processes on a Redis Cluster, CI, Node 24): the conversation's creation
  // (event 1, which restarts a member's stream) published before a socket subscribed arrived
  // after later events; the stream went back to 0 and two frames held up behind a gap were then
  // delivered after later ones (seq 1, 2, 3, 5, …, 12, 4, 8).
  it('ignores a restart older than what was released, and keeps releasing in order', () => {
    const { sequencer, released, offer } = harness();
    sequencer.setBaseline('user', 'c', 1);
    [2, 3, 4, 6, 7].forEach(offer);
    expect(released).toEqual([2, 3, 4]);
    sequencer.offer('user', { conversationId: 'c', eventSeq: 1, restart: true }, () => released.push(1));
    offer(5);
    offer(8);
    expect(released).toEqual([2, 3, 4, 5, 6, 7, 8]);
  });

  it('on a rejoin, releases what is held from before it first and keeps later frames held in order', () => {
    const { sequencer, released, offer } = harness();
    offer(1);
    offer(3);
    offer(6);
    sequencer.offer('user', { conversationId: 'c', eventSeq: 5, restart: true }, () => released.push(5));
    expect(released).toEqual([1, 3, 5, 6]);
  });

  // Regression: the hold timer of a filled gap used to keep running for a later gap, cutting its wait short.
  it('gives each remaining gap a full hold of its own once an earlier gap fills', () => {
    const { released, offer } = harness();
    offer(1);
    offer(3); // waits for 2
    vi.advanceTimersByTime(400);
    offer(5); // waits for 4
    offer(2); // fills the first gap at 400 ms
    expect(released).toEqual([1, 2, 3]);
    vi.advanceTimersByTime(400); // 800 ms: the first timer would have fired at 500
    offer(4);
    expect(released).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps streams apart per user and per conversation', () => {
    const sequencer = new EventSequencer({ gapHoldMs: 500, firstContactHoldMs: 0 });
    const released: string[] = [];
    sequencer.offer('a', { conversationId: 'c1', eventSeq: 1 }, () => released.push('a1'));
    sequencer.offer('b', { conversationId: 'c1', eventSeq: 5 }, () => released.push('b5'));
    sequencer.offer('a', { conversationId: 'c2', eventSeq: 9 }, () => released.push('a9'));
    expect(released).toEqual(['a1', 'b5', 'a9']);
  });

  it('releases the first live frame after a baseline at once, and holds one that skips ahead', () => {
    const { sequencer, released, offer } = harness();
    sequencer.setBaseline('user', 'c', 4);
    offer(5);
    offer(7);
    expect(released).toEqual([5]);
    offer(6);
    expect(released).toEqual([5, 6, 7]);
  });

  it('keeps the first baseline of a conversation when it is set again', () => {
    const { sequencer, released, offer } = harness();
    sequencer.setBaseline('user', 'c', 4);
    sequencer.setBaseline('user', 'c', 9);
    offer(5);
    expect(released).toEqual([5]);
  });

  it('on forgetting a user, releases what their streams held and leaves other users as they were', () => {
    const sequencer = new EventSequencer({ gapHoldMs: 500, firstContactHoldMs: 0 });
    const released: string[] = [];
    const offer = (user: string, seq: number) => sequencer.offer(user, { conversationId: 'c', eventSeq: seq }, () => released.push(`${user}${seq}`));
    sequencer.setBaseline('a', 'c2', 3);
    offer('a', 1);
    offer('a', 3);
    offer('b', 1);
    offer('b', 3);
    expect(released).toEqual(['a1', 'b1']);
    sequencer.forgetUser('a');
    expect(released).toEqual(['a1', 'b1', 'a3']);
    // A later frame for the forgotten user starts a new stream; b's gap still holds.
    offer('a', 7);
    expect(released).toEqual(['a1', 'b1', 'a3', 'a7']);
    vi.advanceTimersByTime(500);
    expect(released).toEqual(['a1', 'b1', 'a3', 'a7', 'b3']);
  });
});
