/**
 * The `next_cursor` of search pages: the last hit's place in the page order, opaque to clients
 * (base64url JSON). Providers choose what goes in (a rank, a time, an id) and read it back with
 * `decodeSearchCursor`; a cursor that is not one of theirs is 400 `invalid_cursor`.
 */
import { AppError } from '../errors.js';
import type { SearchOrder } from '../ports/search-provider.js';

export type CursorKey = readonly (string | number)[];

export function encodeSearchCursor(order: SearchOrder, key: CursorKey): string {
  return Buffer.from(JSON.stringify({ o: order, k: key })).toString('base64url');
}

/** The key a provider put in, after checking it was made for this order and has this shape. */
export function decodeSearchCursor(cursor: string, order: SearchOrder, shape: readonly ('string' | 'number')[]): CursorKey {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  const { o, k } = (parsed ?? {}) as { o?: unknown; k?: unknown };
  if (o !== order) throw invalidCursor();
  if (!Array.isArray(k) || k.length !== shape.length) throw invalidCursor();
  for (const [i, type] of shape.entries()) {
    const value: unknown = k[i];
    if (type === 'number' ? typeof value !== 'number' || !Number.isFinite(value) : typeof value !== 'string' || value.length > 200) throw invalidCursor();
  }
  return k as CursorKey;
}

export const invalidCursor = () => new AppError('invalid_cursor', 'This cursor is not the next_cursor of a page of this search (same order).');
