/** Presence in words (src/lib/presence-text.ts) and the page title's unread count (src/lib/unread-title.ts). */
import { describe, expect, it } from 'vitest';
import { lastSeenAgo, presenceLabel, presenceLabelRefreshMs } from '../../src/lib/presence-text.js';
import { unreadTitle } from '../../src/lib/unread-title.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

describe('presenceLabel', () => {
  it('says online and away as they are', () => {
    expect(presenceLabel({ status: 'online', last_seen_at: null }, NOW)).toBe('Online');
    expect(presenceLabel({ status: 'away', last_seen_at: ago(MIN) }, NOW)).toBe('Away');
  });

  it('says when an offline user was last seen, or just "Offline" when the server does not say', () => {
    expect(presenceLabel({ status: 'offline', last_seen_at: ago(5 * MIN) }, NOW)).toBe('Last seen 5 min ago');
    expect(presenceLabel({ status: 'offline', last_seen_at: null }, NOW)).toBe('Offline');
  });
});

describe('lastSeenAgo', () => {
  it('counts minutes, hours and days, then gives the date', () => {
    expect(lastSeenAgo(ago(20_000), NOW)).toBe('just now');
    expect(lastSeenAgo(ago(-5_000), NOW)).toBe('just now');
    expect(lastSeenAgo(ago(59 * MIN), NOW)).toBe('59 min ago');
    expect(lastSeenAgo(ago(3 * 60 * MIN + 5), NOW)).toBe('3 h ago');
    expect(lastSeenAgo(ago(30 * 60 * MIN), NOW)).toBe('yesterday');
    expect(lastSeenAgo(ago(4 * 24 * 60 * MIN), NOW)).toBe('4 days ago');
    expect(lastSeenAgo('2026-01-15T10:00:00.000Z', NOW, 'en-GB')).toBe('on 15 Jan');
    expect(lastSeenAgo('2025-12-15T10:00:00.000Z', NOW, 'en-GB')).toBe('on 15 Dec 2025');
  });
});

describe('presenceLabelRefreshMs', () => {
  it('re-reads "last seen" when the next minute (or hour) ticks over, and never for online or away', () => {
    expect(presenceLabelRefreshMs({ status: 'offline', last_seen_at: ago(5 * MIN + 20_000) }, NOW)).toBe(40_000);
    expect(presenceLabelRefreshMs({ status: 'offline', last_seen_at: ago(2 * 60 * MIN + 10 * MIN) }, NOW)).toBe(50 * MIN);
    expect(presenceLabelRefreshMs({ status: 'offline', last_seen_at: ago(3 * 24 * 60 * MIN) }, NOW)).toBeNull();
    expect(presenceLabelRefreshMs({ status: 'online', last_seen_at: null }, NOW)).toBeNull();
  });
});

describe('unreadTitle', () => {
  it('is the plain title with nothing unread, and "(N) Pneumatic" otherwise', () => {
    expect(unreadTitle(0)).toBe('Pneumatic');
    expect(unreadTitle(-1)).toBe('Pneumatic');
    expect(unreadTitle(3)).toBe('(3) Pneumatic');
    expect(unreadTitle(1500)).toBe('(999+) Pneumatic');
    expect(unreadTitle(2, 'Chat')).toBe('(2) Chat');
  });
});
