/**
 * decideLocally (src/push/recipient-decider.ts), the round's decision on the main thread: one
 * settings and one presence lookup per conversation however many of its messages the round
 * holds, the answers in the messages' order, and the event loop let through between slices of
 * a large round (on SQLite each settings lookup is a synchronous query on the main thread).
 */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../src/domain/ports/push-repository.js';
import type { PushRecipientDeps } from '../../../src/domain/push/push-recipients.js';
import { decideLocally } from '../../../src/push/recipient-decider.js';

const NOW = new Date('2026-12-10T12:00:00Z');

function message(i: number, conversation: number): OutboxMessage {
  return {
    outbox_id: String(i),
    message_id: `m${i}`,
    conversation_id: `c${conversation}`,
    sender_id: `u${i % 3}`,
    seq: i,
    mentions: [],
    mentions_all: false,
    subscribed_member_ids: ['u0', 'u1', 'u2'],
    member_count: 3,
    gone: false,
  };
}

describe('decideLocally', () => {
  it('looks each conversation up once, answers in the messages’ order, and lets the event loop through a large round', async () => {
    const events: string[] = [];
    const deps: PushRecipientDeps = {
      settingsOf: async (conversationId) => (events.push(`settings ${conversationId}`), new Map()),
      notifies: () => true,
      viewersOf: async (conversationId) => (events.push(`viewers ${conversationId}`), new Set()),
    };
    const messages = Array.from({ length: 300 }, (_, i) => message(i, i % 30));
    setImmediate(() => events.push('event loop'));
    const decided = await decideLocally(deps)(messages, NOW);

    expect(decided).toHaveLength(300);
    decided.forEach((recipients, i) => expect(recipients.map((r) => r.user_id)).toEqual(['u0', 'u1', 'u2'].filter((u) => u !== `u${i % 3}`)));
    expect(events.filter((e) => e.startsWith('settings')).sort()).toEqual(Array.from({ length: 30 }, (_, c) => `settings c${c}`).sort());
    expect(events.filter((e) => e.startsWith('viewers'))).toHaveLength(30);
    // Other work ran between the lookups, not only after all of them.
    const turn = events.indexOf('event loop');
    expect(turn).toBeGreaterThan(0);
    expect(turn).toBeLessThan(events.length - 1);
    expect(events.slice(turn + 1).some((e) => e.startsWith('settings'))).toBe(true);
  });
});
