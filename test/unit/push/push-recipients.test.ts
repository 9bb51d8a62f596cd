/**
 * Who gets a push (src/domain/push/push-recipients.ts), on stand-ins for notification settings
 * and presence: the sender never; a viewer never; `none` never; `mentions` only when mentioned
 * (by name or @all); a mute silences all but what breaks it; previews follow the setting;
 * mentions and direct conversations are urgent.
 */
import { describe, expect, it } from 'vitest';
import type { OutboxMessage } from '../../../src/domain/ports/push-repository.js';
import { NOTIFY_EVERYONE, recipientsOf } from '../../../src/domain/push/push-recipients.js';
import { FakeRecipients } from '../../helpers/push-world.js';

const NOW = new Date('2026-12-10T12:00:00Z');

function message(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    outbox_id: '1',
    message_id: 'm',
    conversation_id: 'c',
    sender_id: 'alice',
    seq: 1,
    mentions: [],
    mentions_all: false,
    subscribed_member_ids: ['alice', 'bob', 'carol'],
    member_count: 3,
    gone: false,
    ...overrides,
  };
}

const ids = async (m: OutboxMessage, deps = new FakeRecipients()) => (await recipientsOf(m, deps, NOW)).map((r) => r.user_id);

describe('recipientsOf', () => {
  it('is every subscribed member but the sender, with previews, by default (and with the stand-ins until settings are wired)', async () => {
    expect(await recipientsOf(message(), NOTIFY_EVERYONE, NOW)).toEqual([
      { user_id: 'bob', mention: false, urgent: false, preview: true },
      { user_id: 'carol', mention: false, urgent: false, preview: true },
    ]);
  });

  it('is nobody for a message deleted before it was expanded, or when only the sender subscribed', async () => {
    expect(await ids(message({ gone: true }))).toEqual([]);
    expect(await ids(message({ subscribed_member_ids: ['alice'] }))).toEqual([]);
  });

  it('leaves out a member viewing the conversation on some device', async () => {
    const deps = new FakeRecipients();
    deps.viewing.add('c bob');
    deps.viewing.add('other carol');
    expect(await ids(message(), deps)).toEqual(['carol']);
  });

  it('honours level none, and level mentions only for a mention by name or @all', async () => {
    const deps = new FakeRecipients();
    deps.settings.set('bob', { level: 'none' });
    deps.settings.set('carol', { level: 'mentions' });
    expect(await ids(message(), deps)).toEqual([]);
    expect(await ids(message({ mentions: ['carol', 'bob'] }), deps)).toEqual(['carol']);
    expect(await ids(message({ mentions_all: true }), deps)).toEqual(['carol']);
  });

  it('honours a mute until it ends, broken by a mention only when the setting says so', async () => {
    const deps = new FakeRecipients();
    deps.settings.set('bob', { muted_until: '2026-12-10T13:00:00Z', mention_breaks_mute: true });
    deps.settings.set('carol', { muted_until: '2026-12-10T13:00:00Z', mention_breaks_mute: false });
    expect(await ids(message(), deps)).toEqual([]);
    expect(await ids(message({ mentions: ['bob', 'carol'] }), deps)).toEqual(['bob']);
    deps.settings.set('carol', { muted_until: '2026-12-10T11:00:00Z', mention_breaks_mute: false });
    expect(await ids(message(), deps)).toEqual(['carol']);
  });

  it('follows the preview setting, and marks mentions and direct conversations urgent', async () => {
    const deps = new FakeRecipients();
    deps.settings.set('carol', { previews: false });
    expect(await recipientsOf(message({ mentions: ['bob'] }), deps, NOW)).toEqual([
      { user_id: 'bob', mention: true, urgent: true, preview: true },
      { user_id: 'carol', mention: false, urgent: false, preview: false },
    ]);
    expect(await recipientsOf(message({ member_count: 2, subscribed_member_ids: ['bob'] }), deps, NOW)).toEqual([{ user_id: 'bob', mention: false, urgent: true, preview: true }]);
  });

  it('asks settings and presence only about the candidates, in one call each', async () => {
    const asked: string[][] = [];
    const deps = new FakeRecipients();
    const settingsOf = deps.settingsOf.bind(deps);
    deps.settingsOf = async (c, users) => (asked.push([...users]), settingsOf(c, users));
    await recipientsOf(message(), deps, NOW);
    expect(asked).toEqual([['bob', 'carol']]);
  });
});
