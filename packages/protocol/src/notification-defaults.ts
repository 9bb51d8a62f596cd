/**
 * The constants of notification settings (docs/API.md, "Notification settings"), defined once for
 * the server, the SDK and the web app. Plain values (no schema library), so a client bundle can
 * take them alone (`@pneumatic/protocol/notification-defaults`), as it takes the close codes.
 */
import type { NotificationDefaults, NotificationLevel } from './notifications.js';

/** Every notification level, loudest first (for a settings menu). */
export const NOTIFICATION_LEVELS = ['all', 'mentions', 'none'] as const satisfies readonly NotificationLevel[];

/**
 * "Until I unmute": the latest `muted_until` there is. Any later instant is stored as this one
 * (only a time zone offset on 31 December 9999 can name one).
 */
export const MUTED_FOREVER = '9999-12-31T23:59:59.999Z';

/** The defaults of a user who never changed them. */
export const BUILT_IN_NOTIFICATION_DEFAULTS: Readonly<NotificationDefaults> = Object.freeze({ level: 'all', mention_breaks_mute: true, previews: true });
