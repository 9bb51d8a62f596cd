/**
 * Presence (docs/API.md, "Presence"): whether a user is online, away or offline, and when they
 * were last seen; what a device reports of its user's activity; and the wire shapes of
 * `GET /presence` and the `presence` frame, shared by the server, the SDK and the web app.
 */
import { Type, type Static } from 'typebox';
import { Timestamp, UUID_PATTERN, Uuid } from './models.js';
import { PRESENCE_QUERY_MAX_IDS } from './presence-limits.js';

export { ACTIVITY_REPEAT_MS, PRESENCE_QUERY_MAX_IDS } from './presence-limits.js';

export const PRESENCE_STATUSES = ['online', 'away', 'offline'] as const;
export type PresenceStatus = (typeof PRESENCE_STATUSES)[number];

/** What a device says of its user in an `activity` frame: using it now, or not (idle, hidden, locked). */
export const ACTIVITY_STATES = ['active', 'idle'] as const;
export type ActivityState = (typeof ACTIVITY_STATES)[number];

/** `user_ids`: 1 to 100 UUIDs, comma-separated (no spaces). */
const UUID_BODY = UUID_PATTERN.slice(1, -1);
export const PRESENCE_USER_IDS_PATTERN = `^${UUID_BODY}(,${UUID_BODY}){0,${PRESENCE_QUERY_MAX_IDS - 1}}$`;

export const PresenceQuery = Type.Object({
  user_ids: Type.String({
    pattern: PRESENCE_USER_IDS_PATTERN,
    description: `1 to ${PRESENCE_QUERY_MAX_IDS} user ids, comma-separated`,
  }),
});
export type PresenceQuery = Static<typeof PresenceQuery>;

export const PresenceStatusSchema = Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]);

/** One user's presence, as `GET /presence` lists it and the `presence` frame carries it. */
export const UserPresence = Type.Object(
  {
    user_id: Uuid,
    status: PresenceStatusSchema,
    last_seen_at: Type.Union([Timestamp, Type.Null()], {
      description: 'online: now; away: the last activity any device reported; offline: when the user was last online; null if never',
    }),
  },
  { title: 'UserPresence' },
);
export type UserPresence = Static<typeof UserPresence>;

/** `GET /presence`: only users who share a conversation with the caller (and the caller), in the order asked. */
export const PresenceList = Type.Object({ presence: Type.Array(UserPresence) }, { title: 'PresenceList' });
export type PresenceList = Static<typeof PresenceList>;
