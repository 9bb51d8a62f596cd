/** What the page tells the server it is doing (src/lib/activity-tracker.ts), on a fake clock. */
import { describe, expect, it } from 'vitest';
import { ACTIVE_REPEAT_MS, ActivityTracker } from '../../src/lib/activity-tracker.js';
import type { Activity } from '../../src/lib/notifications-api.js';

const C1 = 'c1';
const C2 = 'c2';

function tracked(connected = true) {
  let now = 1_000_000;
  const sent: Activity[] = [];
  const state = { connected };
  const tracker = new ActivityTracker(
    (activity) => {
      if (!state.connected) return false;
      sent.push(activity);
      return true;
    },
    () => now,
  );
  return { tracker, sent, state, advance: (ms: number) => (now += ms) };
}

describe('ActivityTracker', () => {
  it('views the open conversation while the page is visible and focused, nothing otherwise', () => {
    const { tracker, sent } = tracked();
    tracker.update({ visible: true, focused: true, conversationId: C1 });
    tracker.update({ focused: false });
    tracker.update({ focused: true });
    tracker.update({ conversationId: C2 });
    expect(sent).toEqual([
      { state: 'active', viewing: C1 },
      { state: 'active', viewing: null },
      { state: 'active', viewing: C1 },
      { state: 'active', viewing: C2 },
    ]);
  });

  it('is idle and views nothing while hidden, active again when shown', () => {
    const { tracker, sent } = tracked();
    tracker.update({ conversationId: C1 });
    tracker.update({ visible: false });
    tracker.update({ visible: true });
    expect(sent).toEqual([
      { state: 'active', viewing: C1 },
      { state: 'idle', viewing: null },
      { state: 'active', viewing: C1 },
    ]);
  });

  it('says nothing when nothing changes', () => {
    const { tracker, sent } = tracked();
    tracker.update({ conversationId: C1 });
    tracker.update({ conversationId: C1, visible: true });
    expect(sent).toHaveLength(1);
  });

  it('repeats "active" on input at most once per 30 s', () => {
    const { tracker, sent, advance } = tracked();
    tracker.update({ conversationId: C1 });
    for (let i = 0; i < 20; i++) {
      advance(1_000);
      tracker.input();
    }
    expect(sent).toHaveLength(1);
    advance(ACTIVE_REPEAT_MS - 20_000);
    tracker.input();
    expect(sent).toEqual([
      { state: 'active', viewing: C1 },
      { state: 'active', viewing: C1 },
    ]);
  });

  it('does not repeat "active" for input while hidden', () => {
    const { tracker, sent, advance } = tracked();
    tracker.update({ visible: false });
    advance(ACTIVE_REPEAT_MS * 2);
    tracker.input();
    expect(sent).toEqual([{ state: 'idle', viewing: null }]);
  });

  it('keeps what could not be sent and says it on the next connection', () => {
    const { tracker, sent, state } = tracked(false);
    tracker.update({ conversationId: C1 });
    expect(sent).toEqual([]);
    state.connected = true;
    tracker.resend();
    tracker.resend();
    expect(sent).toEqual([
      { state: 'active', viewing: C1 },
      { state: 'active', viewing: C1 },
    ]);
  });
});
