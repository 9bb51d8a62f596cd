import { MUTED_FOREVER } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { notifies } from '../../../src/domain/notification.policy.js';
import { toOutbound } from '../../../src/realtime/event-frames.js';
import { newTestServices } from '../fakes/test-services.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');

async function arrange() {
  const t = newTestServices({ now: () => NOW });
  const [alice, bob, dave] = [await t.newUser('alice'), await t.newUser('bob'), await t.newUser('dave')];
  const conversation = await t.newConversation(alice, [bob]);
  return { ...t, alice, bob, dave, conversation };
}

describe('NotificationSettingsService', () => {
  it("announces a change of defaults with the user's next user_seq, to that user's devices only; a repeat announces nothing", async () => {
    const { notificationSettings, events, alice, store } = await arrange();
    const before = await store.changeFeed.userSeq(alice.id);
    const defaults = await notificationSettings.updateDefaults(alice.id, { level: 'mentions' });
    expect(defaults).toEqual({ level: 'mentions', mention_breaks_mute: true, previews: true });
    await notificationSettings.updateDefaults(alice.id, { level: 'mentions' });
    const published = events.take();
    expect(published).toEqual([{ type: 'notification_settings.changed', user_id: alice.id, user_seq: before + 1, defaults }]);
    expect(toOutbound(published[0]!)).toEqual([
      { kind: 'frame', userIds: [alice.id], text: JSON.stringify({ type: 'notification_settings', user_seq: before + 1, defaults }), order: null },
    ]);
  });

  it('announces a conversation override with the mute as stored, and lists it', async () => {
    const { notificationSettings, events, bob, conversation } = await arrange();
    const set = await notificationSettings.setConversation(bob.id, conversation.id, { level: 'none', muted_until: '2026-12-10T14:00:00+01:00' });
    expect(set).toEqual({ conversation_id: conversation.id, level: 'none', muted_until: '2026-12-10T13:00:00.000Z' });
    expect(events.take()).toEqual([{ type: 'notification_settings.changed', user_id: bob.id, user_seq: expect.any(Number), conversation: set }]);
    expect(await notificationSettings.settings(bob.id)).toEqual({ defaults: { level: 'all', mention_breaks_mute: true, previews: true }, conversations: [set] });
    expect(await notificationSettings.conversation(bob.id, conversation.id)).toEqual(set);
  });

  it('stores a past mute as not muted and a later one than the last instant as MUTED_FOREVER', async () => {
    const { notificationSettings, bob, conversation } = await arrange();
    expect((await notificationSettings.setConversation(bob.id, conversation.id, { level: null, muted_until: '2026-12-10T11:59:59.999Z' })).muted_until).toBeNull();
    expect((await notificationSettings.setConversation(bob.id, conversation.id, { level: null, muted_until: '9999-12-31T23:59:59-01:00' })).muted_until).toBe(MUTED_FOREVER);
  });

  it('refuses a non-member (not_member), no such conversation (not_found) and a leap second (invalid_request), announcing nothing', async () => {
    const { notificationSettings, events, bob, dave, conversation } = await arrange();
    await expect(notificationSettings.setConversation(dave.id, conversation.id, { level: 'none', muted_until: null })).rejects.toMatchObject({ code: 'not_member' });
    await expect(notificationSettings.conversation(dave.id, conversation.id)).rejects.toMatchObject({ code: 'not_member' });
    await expect(notificationSettings.setConversation(bob.id, randomUUID(), { level: 'none', muted_until: null })).rejects.toMatchObject({ code: 'not_found' });
    await expect(notificationSettings.setConversation(bob.id, conversation.id, { level: null, muted_until: '2026-12-31T23:59:60Z' })).rejects.toMatchObject({
      code: 'invalid_request',
      options: { errors: [{ pointer: '/muted_until', detail: expect.any(String) }] },
    });
    expect(events.take()).toEqual([]);
  });

  it('gives push the effective settings of many recipients at once: override, else default, else built-in', async () => {
    const { notificationSettings, store, alice, bob, dave, conversation } = await arrange();
    await notificationSettings.updateDefaults(alice.id, { level: 'mentions', previews: false });
    await notificationSettings.setConversation(bob.id, conversation.id, { level: null, muted_until: MUTED_FOREVER });
    await notificationSettings.updateDefaults(dave.id, { level: 'none' });
    const effective = await store.notificationSettings.effectiveFor(conversation.id, [alice.id, bob.id, dave.id]);
    expect(Object.fromEntries(effective)).toEqual({
      [alice.id]: { level: 'mentions', muted_until: null, mention_breaks_mute: true, previews: false },
      [bob.id]: { level: 'all', muted_until: MUTED_FOREVER, mention_breaks_mute: true, previews: true },
      [dave.id]: { level: 'none', muted_until: null, mention_breaks_mute: true, previews: true },
    });
    const named = { mentionsMe: true, mentionsAll: false };
    expect([alice.id, bob.id, dave.id].map((id) => notifies(effective.get(id)!, named, NOW))).toEqual([true, true, false]);
  });
});
