/** notification.policy.ts as a table: level × mute × mention → notifies? (docs/API.md, "Notification settings"). */
import { MUTED_FOREVER } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { isMuted, muteInstant, notifies, type EffectiveNotificationSettings, type NotificationLevel } from '../../../src/domain/notification.policy.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');
const LATER = '2026-12-10T13:00:00.000Z';
const EARLIER = '2026-12-10T11:00:00.000Z';

type Mention = 'none' | '@all' | '@you' | 'both';
const MESSAGES: Record<Mention, { mentionsMe: boolean; mentionsAll: boolean }> = {
  none: { mentionsMe: false, mentionsAll: false },
  '@all': { mentionsMe: false, mentionsAll: true },
  '@you': { mentionsMe: true, mentionsAll: false },
  both: { mentionsMe: true, mentionsAll: true },
};

/** [level, mute (muted_until), mention_breaks_mute] → notifies for [no mention, @all, @you, @you and @all]. */
const TABLE: [NotificationLevel, string | null, boolean, [boolean, boolean, boolean, boolean]][] = [
  ['all', null, true, [true, true, true, true]],
  ['all', null, false, [true, true, true, true]],
  ['mentions', null, true, [false, true, true, true]],
  ['mentions', null, false, [false, true, true, true]],
  ['none', null, true, [false, false, false, false]],
  ['none', null, false, [false, false, false, false]],
  // Muted: only a direct mention breaks through, and only with mention_breaks_mute.
  ['all', LATER, true, [false, false, true, true]],
  ['all', LATER, false, [false, false, false, false]],
  ['mentions', LATER, true, [false, false, true, true]],
  ['mentions', LATER, false, [false, false, false, false]],
  ['none', LATER, true, [false, false, false, false]],
  ['all', MUTED_FOREVER, true, [false, false, true, true]],
  // A mute that has passed is no mute.
  ['all', EARLIER, false, [true, true, true, true]],
  ['mentions', EARLIER, false, [false, true, true, true]],
  ['mentions', NOW.toISOString(), false, [false, true, true, true]],
];

describe('notifies', () => {
  for (const [level, muted_until, mention_breaks_mute, expected] of TABLE) {
    it(`level ${level}, muted until ${muted_until ?? 'never'}, mention_breaks_mute ${mention_breaks_mute}: ${expected.join(' ')}`, () => {
      const settings: EffectiveNotificationSettings = { level, muted_until, mention_breaks_mute, previews: true };
      expect((['none', '@all', '@you', 'both'] as const).map((m) => notifies(settings, MESSAGES[m], NOW))).toEqual(expected);
    });
  }

  it('does not depend on previews', () => {
    for (const [level, muted_until, mention_breaks_mute] of TABLE) {
      for (const message of Object.values(MESSAGES)) {
        const shown = notifies({ level, muted_until, mention_breaks_mute, previews: true }, message, NOW);
        expect(notifies({ level, muted_until, mention_breaks_mute, previews: false }, message, NOW)).toBe(shown);
      }
    }
  });
});

describe('isMuted', () => {
  it('holds strictly before muted_until; null is not muted', () => {
    expect([null, EARLIER, NOW.toISOString(), LATER, MUTED_FOREVER].map((t) => isMuted(t, NOW))).toEqual([false, false, false, true, true]);
  });
});

describe('muteInstant', () => {
  it('stores UTC with milliseconds, null for null or a past instant, at most MUTED_FOREVER', () => {
    expect(muteInstant(null, NOW)).toBeNull();
    expect(muteInstant(EARLIER, NOW)).toBeNull();
    expect(muteInstant(NOW.toISOString(), NOW)).toBeNull();
    expect(muteInstant('2026-12-10T15:00:00+02:00', NOW)).toBe(LATER);
    expect(muteInstant('2026-12-10T13:00:00.5Z', NOW)).toBe('2026-12-10T13:00:00.500Z');
    expect(muteInstant(MUTED_FOREVER, NOW)).toBe(MUTED_FOREVER);
    expect(muteInstant('9999-12-31T23:59:59.999-00:01', NOW)).toBe(MUTED_FOREVER);
  });
});
