/**
 * The notification settings store over in-memory fakes of the SDK (the adapter's names): the
 * session's live copy when it has one, the server's answer otherwise; a change shows at once,
 * stays when the server takes it, and is undone when it refuses.
 */
import { Emitter, type PneumaticClient, type Session } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import type { NotificationSettings } from '../../src/lib/notifications-api.js';
import { NotificationSettingsStore } from '../../src/lib/stores/notification-settings-store.js';

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

const SERVER: NotificationSettings = {
  defaults: { level: 'all', mention_breaks_mute: true, previews: true },
  conversations: [{ conversation_id: 'c1', level: 'mentions', muted_until: null }],
};

function fakeClient(options: { refuse?: boolean } = {}) {
  const calls: unknown[][] = [];
  let stored = structuredClone(SERVER);
  const client = {
    getNotificationSettings: async () => structuredClone(stored),
    setConversationNotifications: async (id: string, change: { level: string | null; muted_until: string | null }) => {
      calls.push(['conversation', id, change]);
      if (options.refuse) throw new Error('refused');
      stored = { ...stored, conversations: [...stored.conversations.filter((c) => c.conversation_id !== id), { conversation_id: id, ...change } as NotificationSettings['conversations'][number]] };
    },
    updateNotificationDefaults: async (patch: object) => {
      calls.push(['defaults', patch]);
      if (options.refuse) throw new Error('refused');
      stored = { ...stored, defaults: { ...stored.defaults, ...patch } };
    },
  };
  return { client: client as unknown as PneumaticClient, calls };
}

/** The SDK's live copy, as its NotificationSettingsState exposes it. */
function liveCopy(settings: NotificationSettings, known = true) {
  return { known, defaults: settings.defaults, conversations: () => new Map(settings.conversations.map((c) => [c.conversation_id, c])) };
}

function fakeSession(live?: ReturnType<typeof liveCopy>) {
  const changes = new Emitter<Record<string, unknown>>();
  const state = { changes, notificationSettings: live };
  return { session: { connectionState: 'live', state } as unknown as Session, state, changes };
}

describe('NotificationSettingsStore', () => {
  it('fetches the settings when the session holds none, and gives each conversation its own', async () => {
    const { client } = fakeClient();
    const store = new NotificationSettingsStore(() => client);
    store.bind(fakeSession().session);
    await settle();
    expect(store.settings.get()).toEqual(SERVER);
    expect(store.conversation('c1').get()).toEqual({ conversation_id: 'c1', level: 'mentions', muted_until: null });
    expect(store.conversation('c2').get()).toBeNull();
  });

  it('follows the session’s live copy and its changes (another device)', async () => {
    const { client } = fakeClient();
    const store = new NotificationSettingsStore(() => client);
    const { session, state, changes } = fakeSession(liveCopy(structuredClone(SERVER)));
    store.bind(session);
    const c1 = store.conversation('c1');
    let notified = 0;
    c1.subscribe(() => notified++);
    state.notificationSettings = liveCopy({ ...SERVER, conversations: [{ conversation_id: 'c1', level: 'none', muted_until: '2026-01-01T00:00:00.000Z' }] });
    changes.emit('notifications', 'c1');
    await settle();
    expect(c1.get()).toEqual({ conversation_id: 'c1', level: 'none', muted_until: '2026-01-01T00:00:00.000Z' });
    expect(notified).toBe(1);
  });

  it('asks the server while the session’s copy is not known yet (before its first sync)', async () => {
    const { client } = fakeClient();
    const store = new NotificationSettingsStore(() => client);
    store.bind(fakeSession(liveCopy({ defaults: { level: 'none', mention_breaks_mute: false, previews: false }, conversations: [] }, false)).session);
    await settle();
    expect(store.settings.get()).toEqual(SERVER);
  });

  it('shows a conversation change at once and keeps it when the server takes it', async () => {
    const { client, calls } = fakeClient();
    const store = new NotificationSettingsStore(() => client);
    store.bind(fakeSession().session);
    await settle();
    const saving = store.setConversation('c2', { level: 'mentions', muted_until: '2030-01-01T00:00:00.000Z' });
    await settle();
    expect(store.conversation('c2').get()).toEqual({ conversation_id: 'c2', level: 'mentions', muted_until: '2030-01-01T00:00:00.000Z' });
    await saving;
    expect(calls).toEqual([['conversation', 'c2', { level: 'mentions', muted_until: '2030-01-01T00:00:00.000Z' }]]);
  });

  it('undoes a change the server refuses, and says so', async () => {
    const { client } = fakeClient({ refuse: true });
    const store = new NotificationSettingsStore(() => client);
    store.bind(fakeSession().session);
    await settle();
    await expect(store.setConversation('c1', { level: 'none', muted_until: null })).rejects.toThrow('refused');
    await expect(store.updateDefaults({ previews: false })).rejects.toThrow('refused');
    await settle();
    expect(store.conversation('c1').get()?.level).toBe('mentions');
    expect(store.settings.get()?.defaults.previews).toBe(true);
  });

  it('is unsupported, and stays empty, with an SDK that has no notification settings', async () => {
    const store = new NotificationSettingsStore(() => ({}) as PneumaticClient);
    store.bind(fakeSession().session);
    await settle();
    expect(store.supported).toBe(false);
    expect(store.settings.get()).toBeNull();
  });
});
