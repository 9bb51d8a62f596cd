/**
 * deliveryRows (store/push/push-rows.ts), what both push queue implementations write for a round
 * of expansions: one row per subscription and conversation, the newest message's (its preview
 * flag too), mention and urgent ORed over every message it stands for, each row its own id.
 */
import { describe, expect, it } from 'vitest';
import type { PushExpansion, PushRecipient } from '../../../src/domain/ports/push-repository.js';
import { deliveryRows } from '../../../src/store/push/push-rows.js';

const to = (user_id: string, flags: Partial<PushRecipient> = {}): PushRecipient => ({ user_id, mention: false, urgent: false, preview: true, ...flags });
const expansion = (conversation_id: string, seq: number, recipients: PushRecipient[]): PushExpansion => ({
  outbox_id: String(seq),
  message_id: `${conversation_id}-m${seq}`,
  conversation_id,
  seq,
  recipients,
});

describe('deliveryRows', () => {
  const subscriptions = new Map([
    ['u1', ['s1a', 's1b']],
    ['u2', ['s2']],
  ]);

  it('folds a conversation’s messages into one row per subscription: the newest message, flags ORed, in any order', () => {
    const rows = deliveryRows(
      [expansion('c', 3, [to('u1', { preview: false })]), expansion('c', 1, [to('u1', { mention: true })]), expansion('c', 2, [to('u1', { urgent: true })])],
      subscriptions,
      1_000,
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row).toEqual(
        expect.objectContaining({ conversation_id: 'c', message_id: 'c-m3', seq: 3, mention: 1, urgent: 1, preview: 0, queued_at: 1_000, next_attempt_at: 1_000 }),
      );
    }
    expect(rows.map((r) => r.subscription_id).sort()).toEqual(['s1a', 's1b']);
    expect(new Set(rows.map((r) => r.id)).size).toBe(2);
  });

  it('keeps conversations and users apart, and writes nothing for a user without subscriptions', () => {
    const rows = deliveryRows([expansion('c', 1, [to('u1'), to('u2', { mention: true }), to('u3')]), expansion('d', 7, [to('u2')])], subscriptions, 5);
    const byKey = new Map(rows.map((r) => [`${r.subscription_id} ${r.conversation_id}`, r]));
    expect([...byKey.keys()].sort()).toEqual(['s1a c', 's1b c', 's2 c', 's2 d']);
    expect(byKey.get('s2 c')).toEqual(expect.objectContaining({ message_id: 'c-m1', mention: 1 }));
    expect(byKey.get('s2 d')).toEqual(expect.objectContaining({ message_id: 'd-m7', mention: 0 }));
  });
});
