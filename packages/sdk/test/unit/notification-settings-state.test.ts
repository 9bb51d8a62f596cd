/**
 * Notification settings in the SDK's state: replaced by a sync's, set by `notification_settings`
 * frames only when newer (by user_seq, per part: the frames are not ordered among themselves),
 * dropped with a conversation you left; each change reported once as `notifications`.
 */
import { describe, expect, it } from 'vitest';
import { applyLiveFrame } from '../../src/session/live-frames.js';
import { ChatState } from '../../src/state/chat-state.js';
import { NotificationSettingsState } from '../../src/state/notification-settings.js';
import type { NotificationSettings } from '../../src/types.js';

const NOW = new Date('2026-12-10T12:00:00.000Z');
const LATER = '2026-12-10T13:00:00.000Z';
const BUILT_IN = { level: 'all', mention_breaks_mute: true, previews: true } as const;

function arrange() {
  const changes: (string | null)[] = [];
  const settings = new NotificationSettingsState((id) => changes.push(id));
  return { settings, changes };
}

const synced: NotificationSettings = {
  defaults: { level: 'mentions', mention_breaks_mute: false, previews: true },
  conversations: [{ conversation_id: 'a', level: 'none', muted_until: null }],
};

describe('NotificationSettingsState', () => {
  it('has the built-in defaults and no overrides until known; effective settings follow the defaults', () => {
    const { settings } = arrange();
    expect(settings.known).toBe(false);
    expect(settings.defaults).toEqual(BUILT_IN);
    expect(settings.conversation('x')).toEqual({ conversation_id: 'x', level: null, muted_until: null });
    expect(settings.effective('x', NOW)).toEqual({ ...BUILT_IN, overridden: false, muted_until: null });
  });

  it('takes a sync whole, reporting the defaults (null) and each conversation that changed', () => {
    const { settings, changes } = arrange();
    settings.applyFrame({ user_seq: 3, conversation: { conversation_id: 'b', level: 'all', muted_until: LATER } });
    changes.length = 0;
    settings.replace(synced, 5);
    expect(settings.known).toBe(true);
    expect(settings.defaults).toEqual(synced.defaults);
    expect([...settings.conversations().values()]).toEqual(synced.conversations);
    expect(changes.sort()).toEqual(['a', 'b', null].sort());
    changes.length = 0;
    settings.replace(synced, 6);
    expect(changes).toEqual([]);
  });

  it('applies a frame newer than what it replaces, and skips an older one or one at the sync', () => {
    const { settings, changes } = arrange();
    settings.replace(synced, 5);
    changes.length = 0;
    settings.applyFrame({ user_seq: 5, defaults: BUILT_IN });
    expect(settings.defaults).toEqual(synced.defaults);
    settings.applyFrame({ user_seq: 8, defaults: { ...BUILT_IN, previews: false } });
    settings.applyFrame({ user_seq: 7, defaults: BUILT_IN });
    expect(settings.defaults).toEqual({ ...BUILT_IN, previews: false });
    // Each conversation on its own: an older frame of another one still applies.
    settings.applyFrame({ user_seq: 9, conversation: { conversation_id: 'a', level: 'mentions', muted_until: LATER } });
    settings.applyFrame({ user_seq: 6, conversation: { conversation_id: 'b', level: 'all', muted_until: null } });
    settings.applyFrame({ user_seq: 7, conversation: { conversation_id: 'a', level: null, muted_until: null } });
    expect(settings.conversation('a')).toEqual({ conversation_id: 'a', level: 'mentions', muted_until: LATER });
    expect(settings.conversation('b')).toEqual({ conversation_id: 'b', level: 'all', muted_until: null });
    expect(changes).toEqual([null, 'a', 'b']);
  });

  it('removes an override set to nulls, and tells mutes that passed from those that hold', () => {
    const { settings } = arrange();
    settings.replace({ defaults: BUILT_IN, conversations: [] }, 1);
    settings.applyFrame({ user_seq: 2, conversation: { conversation_id: 'a', level: null, muted_until: LATER } });
    expect(settings.isMuted('a', NOW)).toBe(true);
    expect(settings.effective('a', NOW)).toEqual({ ...BUILT_IN, overridden: false, muted_until: LATER });
    expect(settings.isMuted('a', new Date(LATER))).toBe(false);
    settings.applyFrame({ user_seq: 3, conversation: { conversation_id: 'a', level: null, muted_until: null } });
    expect(settings.conversations().size).toBe(0);
  });

  it('drops the settings of a conversation you left, as the server does', () => {
    const state = new ChatState(() => 'me');
    const changes: (string | null)[] = [];
    state.changes.on('notifications', (id) => changes.push(id));
    state.notificationSettings.replace(synced, 5);
    changes.length = 0;
    state.applyMemberRemoved('a', 'me');
    expect(state.notificationSettings.conversation('a').level).toBeNull();
    expect(changes).toEqual(['a']);
  });

  it('is fed by notification_settings frames, whose user_seq the session watches', () => {
    const state = new ChatState(() => 'me');
    const seen: number[] = [];
    const deps = { state, selfId: 'me', noteUserSeq: (seq: number) => seen.push(seq), typing: () => {} };
    applyLiveFrame({ type: 'notification_settings', user_seq: 4, defaults: { ...BUILT_IN, level: 'none' } }, deps);
    applyLiveFrame({ type: 'notification_settings', user_seq: 5, conversation: { conversation_id: 'c', level: 'all', muted_until: null } }, deps);
    expect(seen).toEqual([4, 5]);
    expect(state.notificationSettings.defaults.level).toBe('none');
    expect(state.notificationSettings.effective('c', NOW)).toMatchObject({ level: 'all', overridden: true });
  });
});
