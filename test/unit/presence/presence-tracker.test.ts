/**
 * The tracker on the in-memory directory, on fake timers: which frames go out, to whom and
 * when, as devices connect, report and leave; coalescing; last-seen writes.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PresenceRepository } from '../../../src/domain/ports/presence.js';
import { LastSeenWriter } from '../../../src/presence/last-seen-writer.js';
import { MemoryPresenceDirectory } from '../../../src/presence/memory-presence-directory.js';
import { PresenceTracker, type PresenceDevice } from '../../../src/presence/presence-tracker.js';

const AWAY_MS = 10_000;
const WINDOW_MS = 3000;
const START = Date.UTC(2026, 11, 1, 10, 0, 0);

function setup() {
  const devices = new Map<string, Set<PresenceDevice>>();
  const sent: Array<{ to: readonly string[]; frame: Record<string, unknown> }> = [];
  const written = new Map<string, number>();
  const repository: PresenceRepository = {
    sharingConversation: async () => new Set(),
    lastSeen: async () => new Map(),
    recordLastSeen: async (entries) => {
      for (const [id, at] of entries) written.set(id, Math.max(at, written.get(id) ?? at));
    },
  };
  const directory = new MemoryPresenceDirectory(WINDOW_MS);
  const tracker = new PresenceTracker({
    devicesOf: (userId) => devices.get(userId),
    directory,
    audienceOf: async () => ['bob', 'carol'],
    send: (to, text) => sent.push({ to, frame: JSON.parse(text) as Record<string, unknown> }),
    lastSeen: new LastSeenWriter(repository, { warn() {} }),
    awayMs: AWAY_MS,
    windowMs: WINDOW_MS,
    log: { debug() {}, warn() {} },
  });
  tracker.start();
  const connect = (userId: string): PresenceDevice => {
    const device: PresenceDevice = { userId, device: null };
    if (!devices.has(userId)) devices.set(userId, new Set());
    devices.get(userId)!.add(device);
    tracker.connected(device);
    return device;
  };
  const disconnect = (device: PresenceDevice) => {
    const set = devices.get(device.userId)!;
    set.delete(device);
    if (set.size === 0) devices.delete(device.userId);
    tracker.disconnected(device);
  };
  const statuses = (userId: string) => sent.filter((s) => s.frame.user_id === userId).map((s) => s.frame.status);
  return { tracker, directory, sent, written, connect, disconnect, statuses };
}

const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe('PresenceTracker', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(START);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('announces a connecting user online to their audience at once, in one frame', async () => {
    const { connect, sent } = setup();
    connect('alice');
    await advance(0);
    expect(sent).toEqual([{ to: ['bob', 'carol'], frame: { type: 'presence', user_id: 'alice', status: 'online', last_seen_at: new Date(START).toISOString() } }]);
  });

  it('turns a user away once no device reported activity for the away time, and online again at the next active report', async () => {
    const { connect, tracker, statuses, sent } = setup();
    const phone = connect('alice');
    tracker.activity(phone, 'active', null);
    await advance(0);
    tracker.activity(phone, 'idle', null);
    await advance(AWAY_MS - 1);
    expect(statuses('alice')).toEqual(['online']);
    // The wheel ticks every quarter of the away time at most a second: late by a tick at most.
    await advance(1001);
    expect(statuses('alice')).toEqual(['online', 'away']);
    expect(sent.at(-1)!.frame.last_seen_at).toBe(new Date(START).toISOString());
    tracker.activity(phone, 'active', null);
    await advance(WINDOW_MS);
    expect(statuses('alice')).toEqual(['online', 'away', 'online']);
  });

  it('sends at most one frame per window, the latest status winning, and nothing for a flap back to what was sent', async () => {
    const { connect, disconnect, statuses } = setup();
    const first = connect('alice');
    await advance(0);
    disconnect(first);
    const second = connect('alice');
    disconnect(second);
    connect('alice');
    await advance(WINDOW_MS * 2);
    expect(statuses('alice')).toEqual(['online']);
  });

  it('holds a change within the window and sends it when the window ends', async () => {
    const { connect, disconnect, statuses } = setup();
    const device = connect('alice');
    await advance(1000);
    disconnect(device);
    await advance(1000);
    expect(statuses('alice')).toEqual(['online']);
    // A frame went out at 0: the offline one waits for 3000 (plus a tick of the hold wheel).
    await advance(1000 + 300);
    expect(statuses('alice')).toEqual(['online', 'offline']);
  });

  it("writes a leaving user's last_seen_at within a second, and online users' once a minute", async () => {
    const { connect, disconnect, written } = setup();
    const device = connect('alice');
    connect('bob');
    await advance(5000);
    disconnect(device);
    await advance(1000);
    expect(written.get('alice')).toBe(START + 5000);
    expect(written.has('bob')).toBe(false);
    await advance(60_000);
    expect(written.get('bob')).toBeGreaterThanOrEqual(START + 60_000);
  });

  it('counts an idle user online while another of their devices is active or never reported', async () => {
    const { connect, tracker, statuses } = setup();
    const laptop = connect('alice');
    connect('alice');
    tracker.activity(laptop, 'idle', null);
    await advance(AWAY_MS * 3);
    expect(statuses('alice')).toEqual(['online']);
  });

  it('sends no frame for a change of viewing, and records it for viewersOf', async () => {
    const { connect, tracker, directory, statuses } = setup();
    const device = connect('alice');
    tracker.activity(device, 'active', 'c1');
    await advance(0);
    expect(await directory.viewersOf('c1', ['alice', 'bob'])).toEqual(new Set(['alice']));
    tracker.activity(device, 'active', null);
    await advance(0);
    expect(await directory.viewersOf('c1', ['alice'])).toEqual(new Set());
    expect(statuses('alice')).toEqual(['online']);
  });

  it('publishes nothing once stopped (shutting down): the devices leaving are not announced', async () => {
    const { connect, disconnect, tracker, statuses } = setup();
    const device = connect('alice');
    await advance(WINDOW_MS);
    tracker.stopPublishing();
    disconnect(device);
    await advance(WINDOW_MS * 2);
    expect(statuses('alice')).toEqual(['online']);
  });
});
