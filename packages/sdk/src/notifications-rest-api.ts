/**
 * The REST routes of notifications (docs/API.md, "Notification settings", "Presence", "Web Push"):
 * the base of RestApi, kept apart so each file has one area of the API.
 */
import type { HttpClient } from './http-client.js';
import { presenceOf } from './presence-request.js';
import type {
  ConversationNotificationSettings,
  NotificationDefaults,
  NotificationDefaultsPatch,
  NotificationLevel,
  NotificationSettings,
  PushSubscription,
  PushSubscriptionJson,
  UserPresence,
} from './types.js';

const enc = encodeURIComponent;

export class NotificationsRestApi {
  constructor(protected readonly http: HttpClient) {}

  /** `GET /notification-settings`: your defaults and every conversation with settings of its own (`session.state.notificationSettings` keeps them live). */
  getNotificationSettings(): Promise<NotificationSettings> {
    return this.http.request('GET', '/notification-settings');
  }

  /** `PATCH /notification-settings`: changes the defaults given, keeps the others; your other devices follow. */
  updateNotificationDefaults(patch: NotificationDefaultsPatch): Promise<NotificationDefaults> {
    return this.http.request('PATCH', '/notification-settings', { body: patch });
  }

  /** `GET /conversations/{id}/notification-settings`: `level` null follows your default, `muted_until` null is not muted. */
  getConversationNotifications(conversationId: string): Promise<ConversationNotificationSettings> {
    return this.http.request('GET', `/conversations/${enc(conversationId)}/notification-settings`);
  }

  /**
   * `PUT /conversations/{id}/notification-settings` (members only): both fields every time;
   * `muted_until` an ISO 8601 instant (`MUTED_FOREVER`, 9999-12-31T23:59:59.999Z: until unmuted), null to unmute.
   */
  setConversationNotifications(conversationId: string, settings: { level: NotificationLevel | null; muted_until: string | null }): Promise<ConversationNotificationSettings> {
    return this.http.request('PUT', `/conversations/${enc(conversationId)}/notification-settings`, { body: settings });
  }

  /** `GET /presence`: those of `userIds` who share a conversation with you (and you); others left out. Any number of ids. */
  getPresence(userIds: readonly string[]): Promise<UserPresence[]> {
    return presenceOf(this.http, userIds);
  }

  /** `GET /push/vapid-public-key`: the key for `pushManager.subscribe` (see `subscribeToPush`). */
  async getVapidPublicKey(): Promise<string> {
    return (await this.http.request<{ public_key: string }>('GET', '/push/vapid-public-key')).public_key;
  }

  /** `POST /push/subscriptions`: registers a browser's `PushSubscription.toJSON()`; idempotent (same id again). */
  addPushSubscription(subscription: PushSubscriptionJson): Promise<PushSubscription> {
    return this.http.request('POST', '/push/subscriptions', { body: subscription });
  }

  /** `GET /push/subscriptions`: your browsers' subscriptions, without their keys. */
  async listPushSubscriptions(): Promise<PushSubscription[]> {
    return (await this.http.request<{ subscriptions: PushSubscription[] }>('GET', '/push/subscriptions')).subscriptions;
  }

  /** `DELETE /push/subscriptions/{id}`: 404 `not_found` for an id that is not yours. */
  removePushSubscription(id: string): Promise<void> {
    return this.http.request('DELETE', `/push/subscriptions/${enc(id)}`);
  }
}
