import { AppError } from '../domain/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Position in the activity-ordered conversation list: opaque to clients, keyset to us. */
export interface ConversationCursor {
  activity: string;
  id: string;
}

export function encodeCursor(cursor: ConversationCursor): string {
  return Buffer.from(`${cursor.activity}|${cursor.id}`).toString('base64url');
}

export function decodeCursor(raw: string): ConversationCursor {
  const [activity, id, ...rest] = Buffer.from(raw, 'base64url').toString('utf8').split('|');
  if (rest.length > 0 || !activity || !id || !ISO.test(activity) || !isRealInstant(activity) || !UUID.test(id)) {
    throw new AppError('invalid_request', 'before: not a cursor this server issued.');
  }
  return { activity, id };
}

/** The regex admits "2026-13-45T99:99:99.999Z"; only a real instant round-trips (else PostgreSQL fails with a 500). */
function isRealInstant(iso: string): boolean {
  const time = Date.parse(iso);
  // Year 0000 round-trips in JavaScript but PostgreSQL refuses it.
  return Number.isFinite(time) && new Date(time).toISOString() === iso && !iso.startsWith('0000');
}

/** The minute an ISO-8601 UTC instant falls in, as members.activity_minute holds it (migration 0003). */
export function minuteOf(iso: string): string {
  return `${iso.slice(0, 16)}:00.000Z`;
}
