/** Muting a conversation (src/lib/mute.ts): when each choice ends, whether a mute holds, and how it reads. */
import { describe, expect, it } from 'vitest';
import { effectiveLevel, isMuted, msUntilUnmuted, muteUntil, mutedLabel } from '../../src/lib/mute.js';
import { MUTED_FOREVER } from '../../src/lib/notifications-api.js';

const NOW = new Date(2026, 2, 2, 10, 0, 0);
const HOUR = 3_600_000;

describe('muteUntil', () => {
  it('ends 1, 8 and 24 hours after the choice', () => {
    expect(Date.parse(muteUntil('1h', NOW)) - NOW.getTime()).toBe(HOUR);
    expect(Date.parse(muteUntil('8h', NOW)) - NOW.getTime()).toBe(8 * HOUR);
    expect(Date.parse(muteUntil('24h', NOW)) - NOW.getTime()).toBe(24 * HOUR);
  });

  it('stores "until I turn it back on" as a date no one reaches', () => {
    expect(muteUntil('forever', NOW)).toBe(MUTED_FOREVER);
    expect(isMuted(MUTED_FOREVER, new Date(2200, 0, 1))).toBe(true);
  });
});

describe('isMuted and msUntilUnmuted', () => {
  it('holds until the end, not at or after it', () => {
    const until = muteUntil('1h', NOW);
    expect(isMuted(until, NOW)).toBe(true);
    expect(isMuted(until, new Date(NOW.getTime() + HOUR))).toBe(false);
    expect(msUntilUnmuted(until, new Date(NOW.getTime() + 15 * 60_000))).toBe(45 * 60_000);
  });

  it('is no mute without a date, with a date that does not parse, or indefinitely (no timer)', () => {
    expect(isMuted(null, NOW)).toBe(false);
    expect(isMuted('soon', NOW)).toBe(false);
    expect(msUntilUnmuted(null, NOW)).toBeNull();
    expect(msUntilUnmuted(MUTED_FOREVER, NOW)).toBeNull();
  });
});

describe('mutedLabel', () => {
  const at = (hours: number) => new Date(NOW.getTime() + hours * HOUR).toISOString();

  it('reads the end time today, "tomorrow", or a date further out, and plain "Muted" for an indefinite mute', () => {
    expect(mutedLabel(at(1), NOW, 'en-GB')).toBe('Muted until 11:00');
    expect(mutedLabel(at(24), NOW, 'en-GB')).toBe('Muted until tomorrow 10:00');
    expect(mutedLabel(at(72), NOW, 'en-GB')).toMatch(/^Muted until Thu,? 5 Mar 10:00$/);
    expect(mutedLabel(MUTED_FOREVER, NOW)).toBe('Muted');
  });

  it('is null when not muted (or no longer)', () => {
    expect(mutedLabel(null, NOW)).toBeNull();
    expect(mutedLabel(at(-1), NOW)).toBeNull();
  });
});

describe('effectiveLevel', () => {
  it('is the conversation’s own level, else the default, else all', () => {
    const defaults = { level: 'mentions' as const, mention_breaks_mute: true, previews: true };
    expect(effectiveLevel({ conversation_id: 'c', level: 'none', muted_until: null }, defaults)).toBe('none');
    expect(effectiveLevel({ conversation_id: 'c', level: null, muted_until: null }, defaults)).toBe('mentions');
    expect(effectiveLevel(null, null)).toBe('all');
  });
});
