/**
 * The directory's paging cursor: the page's last place (term, username_key), bound to the query
 * it belongs to (a cursor of another query is refused, not silently applied). Opaque to clients.
 */
import { AppError } from '../errors.js';
import type { DirectoryPosition } from '../ports/profile-repository.js';

export function encodeDirectoryCursor(prefix: string, last: DirectoryPosition): string {
  return Buffer.from(JSON.stringify([prefix, last.term, last.username_key])).toString('base64url');
}

/** The place to continue after; 400 invalid_cursor when it is not one of ours for this query. */
export function decodeDirectoryCursor(cursor: string, prefix: string): DirectoryPosition {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value[0] === prefix && typeof value[1] === 'string' && value[1].startsWith(prefix) && typeof value[2] === 'string') {
      return { term: value[1], username_key: value[2] };
    }
  } catch {
    // Falls through to the refusal.
  }
  throw new AppError('invalid_cursor', 'This cursor does not belong to this query; start again without it.');
}
