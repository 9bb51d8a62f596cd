/**
 * The directory's paging cursor: the last username_key of the page, bound to the query it
 * belongs to (a cursor of another query is refused, not silently applied). Opaque to clients.
 */
import { AppError } from '../errors.js';

export function encodeDirectoryCursor(prefix: string, lastKey: string): string {
  return Buffer.from(JSON.stringify([prefix, lastKey])).toString('base64url');
}

/** The username_key to continue after; 400 invalid_cursor when it is not one of ours for this query. */
export function decodeDirectoryCursor(cursor: string, prefix: string): string {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value[0] === prefix && typeof value[1] === 'string') return value[1];
  } catch {
    // Falls through to the refusal.
  }
  throw new AppError('invalid_cursor', 'This cursor does not belong to this query; start again without it.');
}
