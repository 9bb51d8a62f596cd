/**
 * Issue 19's part of the app state: who is online (per user), your notification settings (per
 * conversation, and the defaults), and what this device tells the server it is doing. One object
 * so that ChatStore wires it to each session in one place.
 */
import type { PneumaticClient, Session } from '@pneumatic/client';
import { ActivityTracker } from '../activity-tracker.js';
import { setActivity } from '../notifications-api.js';
import { NotificationSettingsStore } from './notification-settings-store.js';
import { PresenceStore } from './presence-store.js';

export class PresenceAndNotifications {
  readonly presence: PresenceStore;
  readonly settings: NotificationSettingsStore;
  /** ChatScreen feeds it the page's visibility, focus, input and open conversation. */
  readonly activity: ActivityTracker;

  /** The session followed (the latest one bound). */
  private session: Session | null = null;

  constructor(client: () => PneumaticClient) {
    this.presence = new PresenceStore(() => this.session);
    this.settings = new NotificationSettingsStore(client);
    this.activity = new ActivityTracker((activity) => {
      // Said again once live (see `bind`): a socket that is not up would lose it.
      if (this.session?.connectionState !== 'live') return false;
      setActivity(this.session, activity);
      return true;
    });
  }

  /** Follows a new session; returns what unsubscribes. */
  bind(session: Session): Array<() => void> {
    this.session = session;
    // Live (at start and after each reconnect): the server knows nothing of this device's activity yet.
    if (session.connectionState === 'live') this.activity.resend();
    const onLive = session.on('state', ({ state }) => {
      if (state === 'live') this.activity.resend();
    });
    return [onLive, ...this.presence.bind(session), ...this.settings.bind(session)];
  }
}
