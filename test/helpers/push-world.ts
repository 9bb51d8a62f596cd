/**
 * The setting of the push suites: a server that may push to the tests' push service (the test
 * setting PUSH_ALLOW_INSECURE_ENDPOINTS=on, short poll and timeout), and stand-ins for
 * notification settings and presence that a test changes as it goes (`FakeRecipients`). When
 * the real settings and presence are wired in, the same cases are set up through their routes
 * and sockets instead; the expectations stay.
 */
import type { EffectiveNotificationSettings, PushRecipientDeps } from '../../src/domain/push/push-recipients.js';
import { DEFAULT_NOTIFICATION_SETTINGS } from '../../src/domain/push/push-recipients.js';
import type { TestUser } from './api-client.js';
import type { BrowserSubscription, TestPushService } from './push-service.js';

export const PUSH_TEST_ENV = { RATE_LIMITS: 'off', PUSH_ALLOW_INSECURE_ENDPOINTS: 'on', PUSH_POLL_MS: '200', PUSH_TIMEOUT_MS: '2000', PUSH_COLLAPSE_SECONDS: '0' } as const;

/** Settings per user (defaults otherwise) and who is viewing which conversation: what the real features will answer. */
export class FakeRecipients implements PushRecipientDeps {
  readonly settings = new Map<string, Partial<EffectiveNotificationSettings>>();
  /** `${conversationId} ${userId}` of members looking at the conversation. */
  readonly viewing = new Set<string>();

  async settingsOf(_conversationId: string, userIds: readonly string[]): Promise<Map<string, EffectiveNotificationSettings>> {
    return new Map(userIds.map((id) => [id, { ...DEFAULT_NOTIFICATION_SETTINGS, ...this.settings.get(id) }]));
  }

  /** The rule notification.policy.ts is to state: a level, a mute that a mention may break. */
  notifies(s: EffectiveNotificationSettings, message: { mentionsMe: boolean; mentionsAll: boolean }, now: Date): boolean {
    const mention = message.mentionsMe || message.mentionsAll;
    if (s.muted_until !== null && Date.parse(s.muted_until) > now.getTime() && !(mention && s.mention_breaks_mute)) return false;
    return s.level === 'all' || (s.level === 'mentions' && mention);
  }

  async viewersOf(conversationId: string, userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.viewing.has(`${conversationId} ${id}`)));
  }
}

/** Subscribes the user's "browser" on the push service through the API; returns the browser's subscription and its server id. */
export async function subscribeBrowser(user: TestUser, service: TestPushService): Promise<BrowserSubscription & { id: string }> {
  const browser = service.subscribe();
  const response = await user.api.post('/push/subscriptions', browser.toJSON());
  if (response.status !== 201) throw new Error(`subscribe failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { ...browser, id: response.body.id as string };
}

/** Waits `ms` (to see that nothing more arrives). */
export const quiet = (ms: number) => new Promise((r) => setTimeout(r, ms));
