/** Recognizes driver errors by their documented codes, for both dialects. */

/** A unique or primary-key constraint refused the write (PostgreSQL 23505, SQLite CONSTRAINT_UNIQUE/PRIMARYKEY). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Why the database could not serve a request, when the cause is its condition rather than the
 * request: the request may be retried, so it answers 503, never an ack. Stable strings: they
 * label the metric `pneumatic_storage_failures_total` and appear in /readyz.
 *
 * - `busy`: another writer held the lock, or a statement ran past its timeout (contention).
 * - `unreachable`: no connection to PostgreSQL (down, restarting, network).
 * - `cannot_connect_now`: PostgreSQL is starting up, shutting down or recovering.
 * - the rest need an operator: `disk_full`, `file_size_limit` (the process's RLIMIT_FSIZE),
 *   `read_only`, `io_error`, `cannot_open`, `out_of_memory`, `too_many_connections`,
 *   `insufficient_resources` (PostgreSQL's other class 53 errors).
 */
export type StorageFailureReason =
  | 'busy'
  | 'unreachable'
  | 'cannot_connect_now'
  | 'disk_full'
  | 'file_size_limit'
  | 'read_only'
  | 'io_error'
  | 'cannot_open'
  | 'out_of_memory'
  | 'too_many_connections'
  | 'insufficient_resources';

/**
 * SQLite result codes (https://sqlite.org/rescode.html); better-sqlite3 reports the extended
 * code (SQLITE_IOERR_WRITE, SQLITE_READONLY_DBMOVED...), so each entry covers its extensions.
 * SQLITE_IOERR_NOMEM is listed before SQLITE_IOERR so that it counts as out of memory.
 */
const SQLITE_REASONS: readonly [string, StorageFailureReason][] = [
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_IOERR_NOMEM', 'out_of_memory'],
  ['SQLITE_IOERR', 'io_error'],
  ['SQLITE_CANTOPEN', 'cannot_open'],
  ['SQLITE_NOMEM', 'out_of_memory'],
];

/** PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) by exact code. */
const PG_CODES: Readonly<Record<string, StorageFailureReason>> = {
  '53100': 'disk_full',
  '53200': 'out_of_memory',
  '53300': 'too_many_connections',
  '25006': 'read_only', // read_only_sql_transaction: a standby, or default_transaction_read_only
  '57P03': 'cannot_connect_now',
  '57014': 'busy', // query_canceled: statement_timeout
  '58030': 'io_error',
};

/** PostgreSQL SQLSTATE classes, for codes not listed above. */
const PG_CLASSES: Readonly<Record<string, StorageFailureReason>> = {
  '08': 'unreachable', // connection exception
  '53': 'insufficient_resources',
  '57': 'unreachable', // operator intervention: admin or crash shutdown
};

const NODE_NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);

/** The reason the database refused, or null when the error is not about the database's condition. */
export function storageFailureReason(error: unknown): StorageFailureReason | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NODE_NETWORK_CODES.has(code)) return 'unreachable';
    if (code.startsWith('SQLITE_')) {
      const match = SQLITE_REASONS.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`));
      return match ? match[1] : null;
    }
    if (/^[0-9A-Z]{5}$/.test(code)) return PG_CODES[code] ?? PG_CLASSES[code.slice(0, 2)] ?? null;
  }
  if (/Query read timeout/i.test(error.message)) return 'busy';
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED/i.test(error.message) ? 'unreachable' : null;
}
