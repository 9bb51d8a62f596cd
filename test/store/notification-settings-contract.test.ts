/**
 * NotificationSettingsRepository against the in-memory fake and each SQL store: built-in defaults
 * until changed, partial updates, overrides only for members (removed when both fields are null,
 * and when the member leaves), user_seq moving once per change and never for a repeat, and
 * effectiveFor resolving override → default → built-in for many users in one call.
 */
import { BUILT_IN_NOTIFICATION_DEFAULTS, MUTED_FOREVER } from '@pneumatic/protocol';
import { describe, expect, it } from 'vitest';
import { at, storeFactories, storeForSuite, storeSubjects } from '../helpers/store-subjects.js';

for (const subject of storeSubjects) {
  describe(`NotificationSettingsRepository [${subject.name}]`, () => {
    const store = storeForSuite(subject);
    const { user, conversation } = storeFactories(() => store);
    const settings = () => store.notificationSettings;

    it('has the built-in defaults until changed, then merges each change; a repeat takes no user_seq', async () => {
      const a = await user();
      expect(await settings().settingsOf(a)).toEqual({ defaults: BUILT_IN_NOTIFICATION_DEFAULTS, conversations: [] });
      const before = await store.changeFeed.userSeq(a);
      expect(await settings().updateDefaults(a, { previews: false })).toEqual({ settings: { level: 'all', mention_breaks_mute: true, previews: false }, user_seq: before + 1 });
      expect(await settings().updateDefaults(a, { level: 'none', mention_breaks_mute: false })).toEqual({
        settings: { level: 'none', mention_breaks_mute: false, previews: false },
        user_seq: before + 2,
      });
      expect(await settings().updateDefaults(a, { level: 'none' })).toEqual({ settings: { level: 'none', mention_breaks_mute: false, previews: false }, user_seq: null });
      expect(await settings().updateDefaults(a, {})).toMatchObject({ user_seq: null });
      expect(await store.changeFeed.userSeq(a)).toBe(before + 2);
      expect((await settings().settingsOf(a)).defaults).toEqual({ level: 'none', mention_breaks_mute: false, previews: false });
    });

    it('sets, replaces and removes an override of a member; a repeat takes no user_seq', async () => {
      const [a, b] = [await user(), await user()];
      const c = await conversation(a, [b]);
      const before = await store.changeFeed.userSeq(b);
      const muted = { conversation_id: c, level: 'mentions' as const, muted_until: at(30) };
      expect(await settings().setConversation(b, muted)).toEqual({ settings: muted, user_seq: before + 1 });
      expect(await settings().setConversation(b, muted)).toEqual({ settings: muted, user_seq: null });
      expect(await settings().conversationOf(b, c)).toEqual(muted);
      expect((await settings().settingsOf(b)).conversations).toEqual([muted]);
      const forever = { conversation_id: c, level: null, muted_until: MUTED_FOREVER };
      expect(await settings().setConversation(b, forever)).toEqual({ settings: forever, user_seq: before + 2 });
      expect(await settings().conversationOf(b, c)).toEqual(forever);
      const none = { conversation_id: c, level: null, muted_until: null };
      expect(await settings().setConversation(b, none)).toEqual({ settings: none, user_seq: before + 3 });
      expect(await settings().setConversation(b, none)).toEqual({ settings: none, user_seq: null });
      expect((await settings().settingsOf(b)).conversations).toEqual([]);
      expect(await settings().conversationOf(a, c)).toEqual(none);
    });

    it('refuses an override of a non-member (null, nothing stored, no user_seq) and drops a leaving member\'s', async () => {
      const [a, b, outsider] = [await user(), await user(), await user()];
      const c = await conversation(a, [b]);
      const before = await store.changeFeed.userSeq(outsider);
      expect(await settings().setConversation(outsider, { conversation_id: c, level: 'none', muted_until: null })).toBeNull();
      expect(await store.changeFeed.userSeq(outsider)).toBe(before);
      expect((await settings().settingsOf(outsider)).conversations).toEqual([]);
      await settings().setConversation(b, { conversation_id: c, level: 'none', muted_until: null });
      const other = await conversation(b, []);
      await settings().setConversation(b, { conversation_id: other, level: 'mentions', muted_until: null });
      expect(await store.conversations.removeMember(c, b, b, at(40))).not.toBeNull();
      expect((await settings().settingsOf(b)).conversations).toEqual([{ conversation_id: other, level: 'mentions', muted_until: null }]);
      expect(await settings().setConversation(b, { conversation_id: c, level: 'none', muted_until: null })).toBeNull();
    });

    it('resolves effective settings per user: override, else their default, else built-in; unknown ids built-in', async () => {
      const [a, b, d, e] = [await user(), await user(), await user(), await user()];
      const c = await conversation(a, [b, d, e]);
      const elsewhere = await conversation(e, []);
      await settings().updateDefaults(a, { level: 'mentions', previews: false });
      await settings().updateDefaults(b, { level: 'none', mention_breaks_mute: false });
      await settings().setConversation(b, { conversation_id: c, level: 'all', muted_until: at(50) });
      await settings().setConversation(d, { conversation_id: c, level: null, muted_until: MUTED_FOREVER });
      await settings().setConversation(e, { conversation_id: elsewhere, level: 'none', muted_until: null });
      const unknown = '00000000-0000-4000-8000-0000000000ff';
      const effective = await settings().effectiveFor(c, [a, b, d, e, unknown]);
      expect(Object.fromEntries(effective)).toEqual({
        [a]: { level: 'mentions', muted_until: null, mention_breaks_mute: true, previews: false },
        [b]: { level: 'all', muted_until: at(50), mention_breaks_mute: false, previews: true },
        [d]: { level: 'all', muted_until: MUTED_FOREVER, mention_breaks_mute: true, previews: true },
        [e]: { level: 'all', muted_until: null, mention_breaks_mute: true, previews: true },
        [unknown]: { level: 'all', muted_until: null, mention_breaks_mute: true, previews: true },
      });
      expect((await settings().effectiveFor(c, [])).size).toBe(0);
    });

    it('answers effectiveFor for a large conversation in full', async () => {
      const owner = await user();
      const members = await Promise.all(Array.from({ length: 1_200 }, () => user()));
      const c = await conversation(owner, members);
      await settings().updateDefaults(members[1_100]!, { level: 'none' });
      const effective = await settings().effectiveFor(c, [owner, ...members]);
      expect(effective.size).toBe(1_201);
      expect(effective.get(members[1_100]!)?.level).toBe('none');
      expect(effective.get(members[0]!)?.level).toBe('all');
    }, 60_000);
  });
}
