/**
 * The one place the app meets the SDK's notification, presence and push API (issue 19). The
 * interfaces below describe what the app expects of the SDK; every call goes through the
 * functions of this file, so a renamed SDK method is fixed here alone. Each feature-detects its
 * method and does nothing (or answers "not available") when the SDK does not have it, so the app
 * runs against an SDK or server without the feature.
 */
import * as sdk from '@pneumatic/client';
import type { PneumaticClient, Session } from '@pneumatic/client';

export type NotificationLevel = 'all' | 'mentions' | 'none';

export interface NotificationDefaults {
  level: NotificationLevel;
  /** A mention of you notifies even in a muted conversation. */
  mention_breaks_mute: boolean;
  /** Pushes carry the start of the message (else "New message"). */
  previews: boolean;
}

export interface ConversationNotifications {
  conversation_id: string;
  /** null: the user's default level. */
  level: NotificationLevel | null;
  /** Muted until then (ISO 8601); null: not muted. "Until I turn it back on" is {@link MUTED_FOREVER}. */
  muted_until: string | null;
}

export interface NotificationSettings {
  defaults: NotificationDefaults;
  conversations: ConversationNotifications[];
}

export interface Presence {
  status: 'online' | 'away' | 'offline';
  last_seen_at: string | null;
}

export interface Activity {
  state: 'active' | 'idle';
  /** The conversation on screen in a visible, focused window (pushes for it are skipped), else null. */
  viewing: string | null;
}

/** A mute with no end, as the server stores it: a date no one will reach (the protocol's MUTED_FOREVER). */
export const MUTED_FOREVER = '9999-12-31T23:59:59.999Z';

/** `PneumaticClient` methods (REST). */
interface NotificationsClient {
  getNotificationSettings(): Promise<NotificationSettings>;
  updateNotificationDefaults(patch: Partial<NotificationDefaults>): Promise<unknown>;
  setConversationNotifications(conversationId: string, settings: { level: NotificationLevel | null; muted_until: string | null }): Promise<unknown>;
  getVapidPublicKey(): Promise<{ public_key: string }>;
}

/** `session.state.notificationSettings`: the SDK's live copy, kept from syncs and frames (synced across devices). */
interface LiveSettingsState {
  /** False until the first sync: `defaults` are the built-in ones until then. */
  readonly known: boolean;
  readonly defaults: NotificationDefaults;
  /** Every conversation with settings of its own, by id. */
  conversations(): ReadonlyMap<string, ConversationNotifications>;
}

/** `session.state` additions: presence per user and the live settings. */
interface PresenceState {
  presence(userId: string): Presence | undefined;
  readonly notificationSettings: LiveSettingsState | NotificationSettings | undefined;
}

interface ActivitySession {
  setActivity(activity: Activity): unknown;
}

/** Browser helpers exported by '@pneumatic/client'. */
interface PushHelpers {
  subscribeToPush(client: PneumaticClient, registration: ServiceWorkerRegistration): Promise<unknown>;
  unsubscribeFromPush(client: PneumaticClient, registration: ServiceWorkerRegistration): Promise<unknown>;
}

/** `session.state.changes` events (their payload: the user id for presence; ignored for settings). */
export const PRESENCE_CHANGE_EVENT = 'presence';
export const SETTINGS_CHANGE_EVENT = 'notifications';

interface LooseEmitter {
  on(event: string, listener: (payload: unknown) => void): () => void;
}

const clientApi = (client: PneumaticClient) => client as unknown as Partial<NotificationsClient>;
const stateApi = (session: Session) => session.state as unknown as Partial<PresenceState>;
const pushApi = () => sdk as unknown as Partial<PushHelpers>;

/** Whether the SDK can read and change notification settings at all. */
export function notificationSettingsSupported(client: PneumaticClient): boolean {
  const api = clientApi(client);
  return typeof api.getNotificationSettings === 'function' && typeof api.setConversationNotifications === 'function';
}

/** `GET` the settings; null when the SDK has no such call. */
export async function fetchNotificationSettings(client: PneumaticClient): Promise<NotificationSettings | null> {
  const api = clientApi(client);
  return typeof api.getNotificationSettings === 'function' ? api.getNotificationSettings() : null;
}

export async function updateNotificationDefaults(client: PneumaticClient, patch: Partial<NotificationDefaults>): Promise<void> {
  const api = clientApi(client);
  if (typeof api.updateNotificationDefaults !== 'function') throw new Error('Notification settings are not available.');
  await api.updateNotificationDefaults(patch);
}

export async function setConversationNotifications(client: PneumaticClient, conversationId: string, settings: { level: NotificationLevel | null; muted_until: string | null }): Promise<void> {
  const api = clientApi(client);
  if (typeof api.setConversationNotifications !== 'function') throw new Error('Notification settings are not available.');
  await api.setConversationNotifications(conversationId, settings);
}

/** The settings as the live session holds them (a copy), or undefined when it does not (yet). */
export function liveNotificationSettings(session: Session): NotificationSettings | undefined {
  const value = stateApi(session).notificationSettings;
  if (!value || typeof value !== 'object') return undefined;
  if ('known' in value && typeof value.conversations === 'function') {
    return value.known ? { defaults: { ...value.defaults }, conversations: [...value.conversations().values()].map((c) => ({ ...c })) } : undefined;
  }
  const plain = value as NotificationSettings;
  return Array.isArray(plain.conversations) ? { defaults: { ...plain.defaults }, conversations: plain.conversations.map((c) => ({ ...c })) } : undefined;
}

/** A user's presence as the session knows it; undefined when unknown or unsupported. */
export function presenceOf(session: Session, userId: string): Presence | undefined {
  const state = stateApi(session);
  return typeof state.presence === 'function' ? state.presence.call(session.state, userId) : undefined;
}

function onChange(session: Session, event: string, listener: (payload: unknown) => void): () => void {
  return (session.state.changes as unknown as LooseEmitter).on(event, listener);
}

/** Calls `listener` with the user id whose presence changed (undefined: maybe anyone's). */
export function onPresenceChange(session: Session, listener: (userId: string | undefined) => void): () => void {
  return onChange(session, PRESENCE_CHANGE_EVENT, (payload) => listener(typeof payload === 'string' ? payload : undefined));
}

export function onNotificationSettingsChange(session: Session, listener: () => void): () => void {
  return onChange(session, SETTINGS_CHANGE_EVENT, () => listener());
}

/** Tells the server what this device is doing (presence, and which conversation needs no push). */
export function setActivity(session: Session, activity: Activity): void {
  const api = session as unknown as Partial<ActivitySession>;
  if (typeof api.setActivity === 'function') api.setActivity.call(session, activity);
}

/** Whether the SDK has the push helpers (and so the server, push). */
export function pushHelpersAvailable(): boolean {
  const api = pushApi();
  return typeof api.subscribeToPush === 'function' && typeof api.unsubscribeFromPush === 'function';
}

export async function subscribeToPush(client: PneumaticClient, registration: ServiceWorkerRegistration): Promise<void> {
  const api = pushApi();
  if (typeof api.subscribeToPush !== 'function') throw new Error('Push notifications are not available.');
  await api.subscribeToPush(client, registration);
}

export async function unsubscribeFromPush(client: PneumaticClient, registration: ServiceWorkerRegistration): Promise<void> {
  const api = pushApi();
  if (typeof api.unsubscribeFromPush === 'function') await api.unsubscribeFromPush(client, registration);
  else await (await registration.pushManager.getSubscription())?.unsubscribe();
}

/** The server's VAPID key, or null when the SDK cannot ask for it. */
export async function vapidPublicKey(client: PneumaticClient): Promise<string | null> {
  const api = clientApi(client);
  return typeof api.getVapidPublicKey === 'function' ? (await api.getVapidPublicKey()).public_key : null;
}
