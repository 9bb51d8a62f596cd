/**
 * Driver errors about the database's condition, by their documented codes, become a reason
 * and a 503 `unavailable` with Retry-After; everything else stays what it was (issue 13,
 * defect 1: a full disk or a read-only database answered 500).
 */
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../src/errors/classify-error.js';
import { storageFailureReason } from '../../../src/store/sql-errors.js';

const driverError = (code: string, message = 'driver says no') => Object.assign(new Error(message), { code });

describe('storageFailureReason', () => {
  it.each([
    // SQLite result codes, extended ones included (https://sqlite.org/rescode.html)
    ['SQLITE_FULL', 'disk_full'],
    ['SQLITE_READONLY', 'read_only'],
    ['SQLITE_READONLY_DBMOVED', 'read_only'],
    ['SQLITE_READONLY_DIRECTORY', 'read_only'],
    ['SQLITE_IOERR', 'io_error'],
    ['SQLITE_IOERR_WRITE', 'io_error'],
    ['SQLITE_IOERR_FSYNC', 'io_error'],
    ['SQLITE_IOERR_NOMEM', 'out_of_memory'],
    ['SQLITE_NOMEM', 'out_of_memory'],
    ['SQLITE_CANTOPEN', 'cannot_open'],
    ['SQLITE_CANTOPEN_ISDIR', 'cannot_open'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_BUSY_SNAPSHOT', 'busy'],
    ['SQLITE_LOCKED', 'busy'],
    // PostgreSQL SQLSTATEs
    ['53100', 'disk_full'],
    ['53200', 'out_of_memory'],
    ['53300', 'too_many_connections'],
    ['53400', 'insufficient_resources'],
    ['25006', 'read_only'],
    ['57P03', 'cannot_connect_now'],
    ['57P01', 'unreachable'],
    ['57014', 'busy'],
    ['58030', 'io_error'],
    ['08006', 'unreachable'],
    ['ECONNREFUSED', 'unreachable'],
  ])('%s is %s', (code, reason) => {
    expect(storageFailureReason(driverError(code))).toBe(reason);
  });

  it.each(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CORRUPT', 'SQLITE_ERROR', 'SQLITE_IOERRX', '23505', '42P01', '22P02', 'ERR_SOMETHING'])(
    '%s is not about the storage',
    (code) => {
      expect(storageFailureReason(driverError(code))).toBeNull();
    },
  );

  it('recognizes the pool and driver messages that carry no code', () => {
    expect(storageFailureReason(new Error('timeout exceeded when trying to connect'))).toBe('unreachable');
    expect(storageFailureReason(new Error('Connection terminated unexpectedly'))).toBe('unreachable');
    expect(storageFailureReason(new Error('Query read timeout'))).toBe('busy');
    expect(storageFailureReason({ code: 'SQLITE_FULL' })).toBeNull();
  });
});

describe('classifyError for storage failures', () => {
  it.each(['SQLITE_FULL', 'SQLITE_IOERR_WRITE', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', '53100', '25006', '53300'])(
    '%s answers 503 unavailable, retry in 5 s, not logged per request',
    (code) => {
      expect(classifyError(driverError(code))).toEqual({
        code: 'unavailable',
        status: 503,
        detail: 'The server cannot store anything right now; retry later.',
        retryAfterSeconds: 5,
        serverFault: false,
      });
    },
  );

  it('keeps a lock timeout a prompt retry, logged per request as before', () => {
    expect(classifyError(driverError('SQLITE_BUSY'))).toMatchObject({ code: 'unavailable', status: 503, retryAfterSeconds: 1, serverFault: true });
  });

  it('asks for a prompt retry while PostgreSQL is unreachable or restarting', () => {
    for (const code of ['ECONNREFUSED', '57P03']) {
      expect(classifyError(driverError(code))).toMatchObject({ code: 'unavailable', status: 503, retryAfterSeconds: 1, serverFault: false });
    }
  });

  it('leaves other driver errors an internal error', () => {
    expect(classifyError(driverError('SQLITE_CORRUPT'))).toMatchObject({ code: 'internal_error', status: 500, serverFault: true });
  });
});
