/**
 * Presence's plain constants (docs/API.md, "Presence"), apart from its schemas so the SDK's
 * bundle can inline them without TypeBox (`@pneumatic/protocol/presence-limits`).
 */

/** Most user ids one `GET /presence` may name. */
export const PRESENCE_QUERY_MAX_IDS = 100;

/**
 * How often a device that stays active repeats its `active` report, at most, ms: often enough
 * for any PRESENCE_AWAY_SECONDS of a minute or more, seldom enough to cost nothing.
 */
export const ACTIVITY_REPEAT_MS = 30_000;
