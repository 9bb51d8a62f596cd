/** The opaque cursors of the admin lists: base64url JSON, refused as 400 invalid_cursor when malformed. */
import { AppError } from '../errors.js';

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function decode(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
}

function invalid(): AppError {
  return new AppError('invalid_cursor', 'The cursor is not one this list gave.');
}

/** GET /admin/users: the lower-cased username the page ended with. */
export function encodeUserCursor(username: string): string {
  return encode({ u: username.toLowerCase() });
}

export function decodeUserCursor(cursor: string): string {
  const value = decode(cursor) as { u?: unknown } | null;
  if (typeof value?.u !== 'string') throw invalid();
  return value.u;
}

/** GET /admin/audit: the (at, id) of the page's last entry. */
export function encodeAuditCursor(entry: { at: string; id: string }): string {
  return encode({ at: entry.at, id: entry.id });
}

export function decodeAuditCursor(cursor: string): { at: string; id: string } {
  const value = decode(cursor) as { at?: unknown; id?: unknown } | null;
  if (typeof value?.at !== 'string' || typeof value.id !== 'string' || Number.isNaN(Date.parse(value.at))) throw invalid();
  return { at: value.at, id: value.id };
}

/** GET /admin/reports: the (created_at, id) of the page's last report. */
export function encodeReportCursor(report: { created_at: string; id: string }): string {
  return encode({ c: report.created_at, id: report.id });
}

export function decodeReportCursor(cursor: string): { created_at: string; id: string } {
  const value = decode(cursor) as { c?: unknown; id?: unknown } | null;
  if (typeof value?.c !== 'string' || typeof value.id !== 'string' || Number.isNaN(Date.parse(value.c))) throw invalid();
  return { created_at: value.c, id: value.id };
}

/** GET /admin/message-removals: the (created_at, id) of the page's last removal. */
export function encodeRemovalCursor(removal: { created_at: string; id: string }): string {
  return encode({ c: removal.created_at, id: removal.id });
}

export function decodeRemovalCursor(cursor: string): { created_at: string; id: string } {
  return decodeReportCursor(cursor);
}
