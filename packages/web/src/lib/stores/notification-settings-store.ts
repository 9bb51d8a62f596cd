/**
 * The user's notification settings: the defaults and each conversation's level and mute. The
 * session's live copy (synced across devices) when the SDK keeps one, else fetched once per
 * session; a change made here shows at once and is undone if the server refuses it.
 */
import type { PneumaticClient, Session } from '@pneumatic/client';
import {
  fetchNotificationSettings,
  liveNotificationSettings,
  notificationSettingsSupported,
  onNotificationSettingsChange,
  setConversationNotifications,
  updateNotificationDefaults,
  type ConversationNotifications,
  type NotificationDefaults,
  type NotificationSettings,
} from '../notifications-api.js';
import { Atom, type Readable } from './atom.js';
import { KeyedAtoms } from './keyed-atoms.js';

export type ConversationChange = Pick<ConversationNotifications, 'level' | 'muted_until'>;

const sameSetting = (a: ConversationNotifications | null, b: ConversationNotifications | null) =>
  a === b || (a !== null && b !== null && a.level === b.level && a.muted_until === b.muted_until);

export class NotificationSettingsStore {
  /** null until known, and for good when the SDK has no notification settings. */
  readonly settings = new Atom<NotificationSettings | null>(null);
  private readonly byConversation = new KeyedAtoms<ConversationNotifications | null>(
    (id) => this.settings.get()?.conversations.find((c) => c.conversation_id === id) ?? null,
    sameSetting,
  );

  /** The session followed (the latest one bound). */
  private session: Session | null = null;

  constructor(private readonly client: () => PneumaticClient) {}

  get supported(): boolean {
    return notificationSettingsSupported(this.client());
  }

  /** A conversation's own setting (null: the defaults apply, not muted). */
  conversation(id: string): Readable<ConversationNotifications | null> {
    return this.byConversation.of(id);
  }

  /** Follows a new session's copy of the settings; returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    this.session = session;
    void this.refresh();
    return [onNotificationSettingsChange(session, () => this.fromSession())];
  }

  /** The session's copy, or the server's answer when the session holds none. */
  async refresh(): Promise<void> {
    if (this.fromSession() || !this.supported) return;
    const fetched = await fetchNotificationSettings(this.client()).catch(() => null);
    if (fetched) this.apply(fetched);
  }

  async setConversation(conversationId: string, change: ConversationChange): Promise<void> {
    const before = this.settings.get();
    if (before) {
      const others = before.conversations.filter((c) => c.conversation_id !== conversationId);
      this.apply({ ...before, conversations: [...others, { conversation_id: conversationId, ...change }] });
    }
    try {
      await setConversationNotifications(this.client(), conversationId, change);
    } catch (error) {
      if (before) this.apply(before);
      throw error;
    }
    if (!before) await this.refresh();
  }

  async updateDefaults(patch: Partial<NotificationDefaults>): Promise<void> {
    const before = this.settings.get();
    if (before) this.apply({ ...before, defaults: { ...before.defaults, ...patch } });
    try {
      await updateNotificationDefaults(this.client(), patch);
    } catch (error) {
      if (before) this.apply(before);
      throw error;
    }
    if (!before) await this.refresh();
  }

  private fromSession(): boolean {
    const live = this.session ? liveNotificationSettings(this.session) : undefined;
    // A copy (the adapter's): the SDK updates its object in place, and an atom notifies on a new value only.
    if (live) this.apply(live);
    return live !== undefined;
  }

  private apply(settings: NotificationSettings): void {
    this.settings.set(settings);
    this.byConversation.invalidateAll();
  }
}
