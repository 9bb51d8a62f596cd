/**
 * Notification settings through the SDK against a real server: the REST methods, and
 * `session.state.notificationSettings` on two devices of one user. A change made on one device
 * reaches the other live; changes made while it was cut off are in its state after it
 * reconnects, as GET /notification-settings reports them.
 */
import { describe, expect, it } from 'vitest';
import { PneumaticClient } from '../src/client.js';
import { MUTED_FOREVER } from '../src/index.js';
import type { Session } from '../src/session/session.js';
import type { NotificationSettings } from '../src/types.js';
import { registeredClient, waitUntil } from './helpers.js';
import { proxiedServerForSuite } from './proxied-server.js';

const FAST_RECONNECT = { initialDelayMs: 20, maxDelayMs: 200 };

const suite = proxiedServerForSuite();
const { cleanups } = suite;

/** What a session holds, in the shape of GET /notification-settings (conversations sorted by id). */
function held(session: Session): NotificationSettings {
  const settings = session.state.notificationSettings;
  return { defaults: settings.defaults, conversations: sorted([...settings.conversations().values()]) };
}

const sorted = <T extends { conversation_id: string }>(list: T[]) => [...list].sort((a, b) => a.conversation_id.localeCompare(b.conversation_id));

/** The server's answer, conversations sorted by id (it lists them in no particular order). */
async function onServer(client: PneumaticClient): Promise<NotificationSettings> {
  const settings = await client.getNotificationSettings();
  return { ...settings, conversations: sorted(settings.conversations) };
}

/** One user on two devices: `laptop` connects directly, `phone` through the proxy the test can cut. */
async function twoDevices() {
  const laptop = await registeredClient(suite.server.url, 'bob');
  const phone = new PneumaticClient({ baseUrl: `http://127.0.0.1:${suite.proxy.port}`, token: laptop.token!, user: laptop.user! });
  cleanups.push(() => laptop.close(), () => phone.close());
  return { laptop, phone };
}

describe('Notification settings in the SDK', () => {
  it('reads and changes them over REST, refusing a non-member with not_member', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    const eve = await registeredClient(suite.server.url, 'eve');
    cleanups.push(() => alice.close(), () => eve.close());
    const conversation = await alice.createConversation({ title: 'settings', member_ids: [] });
    expect(await alice.getNotificationSettings()).toEqual({ defaults: { level: 'all', mention_breaks_mute: true, previews: true }, conversations: [] });
    expect(await alice.updateNotificationDefaults({ previews: false })).toEqual({ level: 'all', mention_breaks_mute: true, previews: false });
    const muted = await alice.setConversationNotifications(conversation.id, { level: 'mentions', muted_until: MUTED_FOREVER });
    expect(muted).toEqual({ conversation_id: conversation.id, level: 'mentions', muted_until: MUTED_FOREVER });
    expect(await alice.getConversationNotifications(conversation.id)).toEqual(muted);
    expect((await alice.getNotificationSettings()).conversations).toEqual([muted]);
    const refused = await eve.setConversationNotifications(conversation.id, { level: 'none', muted_until: null }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'not_member', status: 403 });
  });

  it("follows a change made on another device live, and reports it as a 'notifications' change", async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const { laptop, phone } = await twoDevices();
    const conversation = await alice.createConversation({ title: 'live', member_ids: [laptop.user!.id] });
    const phoneSession = await phone.connect({ backoff: FAST_RECONNECT });
    expect(phoneSession.state.notificationSettings.known).toBe(true);
    const changes: (string | null)[] = [];
    phoneSession.state.changes.on('notifications', (id) => changes.push(id));

    await laptop.updateNotificationDefaults({ level: 'mentions' });
    await waitUntil(() => phoneSession.state.notificationSettings.defaults.level === 'mentions', 'the new default on the phone');
    const until = new Date(Date.now() + 3_600_000).toISOString();
    await laptop.setConversationNotifications(conversation.id, { level: null, muted_until: until });
    await waitUntil(() => phoneSession.state.notificationSettings.isMuted(conversation.id), 'the mute on the phone');
    expect(phoneSession.state.notificationSettings.effective(conversation.id)).toEqual({ level: 'mentions', overridden: false, muted_until: until, mention_breaks_mute: true, previews: true });
    expect(changes).toEqual([null, conversation.id]);
    expect(held(phoneSession)).toEqual(await onServer(laptop));
  });

  it('after a reconnect holds every change made while it was cut off, as the server reports them', async () => {
    const alice = await registeredClient(suite.server.url, 'alice');
    cleanups.push(() => alice.close());
    const { laptop, phone } = await twoDevices();
    const member = [laptop.user!.id];
    const [kept, cleared, left] = [
      await alice.createConversation({ title: 'kept', member_ids: member }),
      await alice.createConversation({ title: 'cleared', member_ids: member }),
      await alice.createConversation({ title: 'left', member_ids: member }),
    ];
    await laptop.setConversationNotifications(cleared.id, { level: 'none', muted_until: null });
    await laptop.setConversationNotifications(left.id, { level: 'none', muted_until: null });
    const phoneSession = await phone.connect({ backoff: FAST_RECONNECT });
    expect(held(phoneSession)).toEqual(await onServer(laptop));

    suite.proxy.cut();
    await waitUntil(() => phoneSession.connectionState === 'reconnecting', 'the phone notices');
    await laptop.updateNotificationDefaults({ mention_breaks_mute: false, previews: false });
    await laptop.setConversationNotifications(kept.id, { level: 'all', muted_until: MUTED_FOREVER });
    await laptop.setConversationNotifications(cleared.id, { level: null, muted_until: null });
    await laptop.removeMember(left.id, laptop.user!.id);
    expect(phoneSession.state.notificationSettings.conversation(cleared.id).level).toBe('none');

    suite.proxy.restore();
    await waitUntil(() => phoneSession.connectionState === 'live', 'the phone is live again');
    const server = await onServer(laptop);
    expect(server).toEqual({ defaults: { level: 'all', mention_breaks_mute: false, previews: false }, conversations: [{ conversation_id: kept.id, level: 'all', muted_until: MUTED_FOREVER }] });
    expect(held(phoneSession)).toEqual(server);
  });
});
