/** The rules of presence (src/domain/presence*.ts): status from devices, coalescing, visibility. */
import { describe, expect, it } from 'vitest';
import { decideFrame } from '../../../src/domain/presence-coalescing.js';
import { visiblePresence, presenceAudience } from '../../../src/domain/presence.policy.js';
import { combinedStatus, lastSeenAt, reportActivity, seenAtLeaving, shareChanged, summarizeDevices } from '../../../src/domain/presence.js';

const NOW = 1_767_000_000_000;
const AWAY = 300_000;

describe('summarizeDevices', () => {
  it('has no share without devices', () => {
    expect(summarizeDevices([], NOW, AWAY)).toEqual({ share: null, awayAt: null });
  });

  it('counts a device that never reported (a v1 client) as active now, for as long as it is connected', () => {
    expect(summarizeDevices([null], NOW, AWAY)).toEqual({ share: { status: 'online', lastActiveAt: NOW, viewing: [] }, awayAt: null });
    // Even beside a device idle for an hour.
    expect(summarizeDevices([null, { activeAt: NOW - 3_600_000, viewing: 'c' }], NOW, AWAY).share).toMatchObject({ status: 'online', lastActiveAt: NOW });
  });

  it('is online while some device was active within the away time, and says when that ends', () => {
    const devices = [{ activeAt: NOW - 10_000, viewing: null }, { activeAt: NOW - 200_000, viewing: null }];
    expect(summarizeDevices(devices, NOW, AWAY)).toEqual({ share: { status: 'online', lastActiveAt: NOW - 10_000, viewing: [] }, awayAt: NOW - 10_000 + AWAY });
  });

  it('is away when devices are connected but none was active within the away time', () => {
    const devices = [{ activeAt: NOW - AWAY, viewing: null }, { activeAt: NOW - AWAY - 5, viewing: null }];
    expect(summarizeDevices(devices, NOW, AWAY)).toEqual({ share: { status: 'away', lastActiveAt: NOW - AWAY, viewing: [] }, awayAt: null });
  });

  it('lists the conversations viewed on any device, sorted, once each', () => {
    const devices = [{ activeAt: NOW, viewing: 'b' }, { activeAt: NOW, viewing: 'a' }, { activeAt: NOW, viewing: 'b' }, { activeAt: NOW, viewing: null }];
    expect(summarizeDevices(devices, NOW, AWAY).share?.viewing).toEqual(['a', 'b']);
  });
});

describe('reportActivity', () => {
  it('moves the activity to now when active, keeps it when idle, and takes the viewing as reported', () => {
    const device = reportActivity(null, 'active', 'c', NOW);
    expect(device).toEqual({ activeAt: NOW, viewing: 'c' });
    expect(reportActivity(device, 'idle', null, NOW + 60_000)).toEqual({ activeAt: NOW, viewing: null });
    expect(reportActivity(device, 'active', null, NOW + 60_000)).toEqual({ activeAt: NOW + 60_000, viewing: null });
  });

  it('takes a first idle report as the moment the device stopped being active (it counted as active until then)', () => {
    expect(reportActivity(null, 'idle', null, NOW)).toEqual({ activeAt: NOW, viewing: null });
  });
});

describe('shareChanged', () => {
  const share = { status: 'online' as const, lastActiveAt: NOW, viewing: ['a'] };
  it('ignores the activity time of a share whose status and viewing stay', () => {
    expect(shareChanged(share, { ...share, lastActiveAt: NOW + 1 })).toBe(false);
  });
  it('sees a new status, a new viewing, a share appearing or going', () => {
    expect(shareChanged(share, { ...share, status: 'away' })).toBe(true);
    expect(shareChanged(share, { ...share, viewing: ['b'] })).toBe(true);
    expect(shareChanged(share, { ...share, viewing: [] })).toBe(true);
    expect(shareChanged(null, share)).toBe(true);
    expect(shareChanged(share, null)).toBe(true);
    expect(shareChanged(null, null)).toBe(false);
  });
});

describe('combinedStatus and last seen', () => {
  it('is online if any process says so, away if any share is left, offline without shares', () => {
    expect(combinedStatus([{ status: 'away' }, { status: 'online' }])).toBe('online');
    expect(combinedStatus([{ status: 'away' }])).toBe('away');
    expect(combinedStatus([])).toBe('offline');
  });

  it('leaves behind now for an online share and the last activity for an away one', () => {
    expect(seenAtLeaving({ status: 'online', lastActiveAt: NOW - 5, viewing: [] }, NOW)).toBe(NOW);
    expect(seenAtLeaving({ status: 'away', lastActiveAt: NOW - 5, viewing: [] }, NOW)).toBe(NOW - 5);
    expect(seenAtLeaving(null, NOW)).toBeNull();
  });

  it('tells now for an online user, the latest known moment otherwise, null for one never seen', () => {
    expect(lastSeenAt('online', NOW - 100, NOW - 50, NOW)).toBe(NOW);
    expect(lastSeenAt('offline', NOW - 100, NOW - 50, NOW)).toBe(NOW - 50);
    expect(lastSeenAt('away', NOW - 100, null, NOW)).toBe(NOW - 100);
    expect(lastSeenAt('offline', null, null, NOW)).toBeNull();
  });
});

describe('decideFrame', () => {
  const W = 3000;
  it('sends a change at once when nothing was sent within the window', () => {
    expect(decideFrame(null, 'online', NOW, W)).toEqual({ kind: 'send' });
    expect(decideFrame({ status: 'online', at: NOW - W }, 'offline', NOW, W)).toEqual({ kind: 'send' });
  });
  it('holds a change until the window since the last frame ends', () => {
    expect(decideFrame({ status: 'online', at: NOW - 1000 }, 'away', NOW, W)).toEqual({ kind: 'hold', until: NOW + 2000 });
  });
  it('says nothing when the status is the one last sent (or offline, for a user never announced)', () => {
    expect(decideFrame({ status: 'online', at: NOW - 1 }, 'online', NOW, W)).toEqual({ kind: 'none' });
    expect(decideFrame(null, 'offline', NOW, W)).toEqual({ kind: 'none' });
  });
  it('sends every change with a window of 0', () => {
    expect(decideFrame({ status: 'online', at: NOW }, 'offline', NOW, 0)).toEqual({ kind: 'send' });
  });
});

describe('visibility', () => {
  it('keeps the caller and users sharing a conversation, in the order asked, once each; leaves out everyone else alike', () => {
    const sharing = new Set(['bob', 'carol']);
    expect(visiblePresence('me', ['zed', 'carol', 'me', 'bob', 'carol', 'ghost'], sharing)).toEqual(['carol', 'me', 'bob']);
    expect(visiblePresence('me', ['zed', 'ghost'], sharing)).toEqual([]);
  });

  it('makes the audience of a user the other members of their conversations, once each, not themselves', () => {
    expect(presenceAudience('me', [['me', 'a', 'b'], ['b', 'c']]).sort()).toEqual(['a', 'b', 'c']);
    expect(presenceAudience('me', [['me']])).toEqual([]);
  });
});
