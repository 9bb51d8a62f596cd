/**
 * Your notification settings (docs/API.md, "Notification settings"), kept from `POST /sync` and
 * from the `notification_settings` frames every change sends to each of your connections.
 *
 * Those frames are not ordered among themselves (only their user_seq says which is newer), so
 * each part remembers the user_seq it was last set at and a frame applies only when newer: the
 * defaults, and each conversation's override, on its own. A sync's settings are at least as new
 * as its user_seq, so they count as of it.
 */
import { BUILT_IN_NOTIFICATION_DEFAULTS as BUILT_IN } from '@pneumatic/protocol/notification-defaults';
import type { ConversationNotificationSettings, NotificationDefaults, NotificationLevel, NotificationSettings } from '../types.js';

/** The settings that apply in one conversation: its override, else your defaults. */
export interface EffectiveConversationNotifications {
  level: NotificationLevel;
  /** Whether the level is the conversation's own (false: your default). */
  overridden: boolean;
  /** Muted until this instant; null when not muted (a past instant counts as not muted). */
  muted_until: string | null;
  mention_breaks_mute: boolean;
  previews: boolean;
}

export class NotificationSettingsState {
  private defaultsValue: NotificationDefaults = { ...BUILT_IN };
  private defaultsSeq = -1;
  private readonly overrides = new Map<string, ConversationNotificationSettings>();
  /** The user_seq each conversation's settings were set at (kept after an override is removed). */
  private readonly conversationSeqs = new Map<string, number>();
  private syncedSeq = -1;

  /** `onChange` hears the conversation whose settings changed, or null for the defaults (which every conversation without an override follows). */
  constructor(private readonly onChange: (conversationId: string | null) => void = () => {}) {}

  /** Whether the server's settings are known yet (after the first sync); until then `defaults` are the built-in ones. */
  get known(): boolean {
    return this.syncedSeq >= 0 || this.defaultsSeq >= 0;
  }

  get defaults(): NotificationDefaults {
    return { ...this.defaultsValue };
  }

  /** The conversation's override: `level` null follows the default, `muted_until` null is not muted. */
  conversation(conversationId: string): ConversationNotificationSettings {
    return { ...(this.overrides.get(conversationId) ?? { conversation_id: conversationId, level: null, muted_until: null }) };
  }

  /** Every conversation with an override, by id. */
  conversations(): ReadonlyMap<string, ConversationNotificationSettings> {
    return new Map([...this.overrides].map(([id, settings]) => [id, { ...settings }]));
  }

  /** The settings that apply in the conversation at `now`. */
  effective(conversationId: string, now: Date = new Date()): EffectiveConversationNotifications {
    const own = this.overrides.get(conversationId);
    const mutedUntil = own?.muted_until ?? null;
    return {
      level: own?.level ?? this.defaultsValue.level,
      overridden: own?.level != null,
      muted_until: mutedUntil !== null && Date.parse(mutedUntil) > now.getTime() ? mutedUntil : null,
      mention_breaks_mute: this.defaultsValue.mention_breaks_mute,
      previews: this.defaultsValue.previews,
    };
  }

  /** Whether the conversation is muted at `now`. */
  isMuted(conversationId: string, now: Date = new Date()): boolean {
    return this.effective(conversationId, now).muted_until !== null;
  }

  /** Everything, from a sync answered at `userSeq`. */
  replace(settings: NotificationSettings, userSeq: number): void {
    this.syncedSeq = userSeq;
    const touched = new Set([...this.overrides.keys(), ...settings.conversations.map((c) => c.conversation_id)]);
    const before = new Map(this.overrides);
    this.overrides.clear();
    this.conversationSeqs.clear();
    for (const override of settings.conversations) this.overrides.set(override.conversation_id, { ...override });
    const defaultsChanged = !sameDefaults(this.defaultsValue, settings.defaults);
    this.defaultsValue = { ...settings.defaults };
    this.defaultsSeq = userSeq;
    if (defaultsChanged) this.onChange(null);
    for (const id of touched) if (!sameOverride(before.get(id), this.overrides.get(id))) this.onChange(id);
  }

  /** A `notification_settings` frame: applied when newer than what it replaces. */
  applyFrame(frame: { user_seq: number; defaults?: NotificationDefaults; conversation?: ConversationNotificationSettings }): void {
    if (frame.defaults && frame.user_seq > Math.max(this.defaultsSeq, this.syncedSeq)) {
      this.defaultsSeq = frame.user_seq;
      if (!sameDefaults(this.defaultsValue, frame.defaults)) {
        this.defaultsValue = { ...frame.defaults };
        this.onChange(null);
      }
    }
    const override = frame.conversation;
    if (!override || frame.user_seq <= Math.max(this.conversationSeqs.get(override.conversation_id) ?? -1, this.syncedSeq)) return;
    const id = override.conversation_id;
    this.conversationSeqs.set(id, frame.user_seq);
    const before = this.overrides.get(id);
    if (override.level === null && override.muted_until === null) this.overrides.delete(id);
    else this.overrides.set(id, { ...override });
    if (!sameOverride(before, this.overrides.get(id))) this.onChange(id);
  }

  /** You left the conversation: the server removed its override with your membership. */
  forget(conversationId: string): void {
    if (this.overrides.delete(conversationId)) this.onChange(conversationId);
  }
}

function sameDefaults(a: NotificationDefaults, b: NotificationDefaults): boolean {
  return a.level === b.level && a.mention_breaks_mute === b.mention_breaks_mute && a.previews === b.previews;
}

function sameOverride(a: ConversationNotificationSettings | undefined, b: ConversationNotificationSettings | undefined): boolean {
  return (a?.level ?? null) === (b?.level ?? null) && (a?.muted_until ?? null) === (b?.muted_until ?? null);
}
