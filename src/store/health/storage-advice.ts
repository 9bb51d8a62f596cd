/**
 * What the operator must do about a storage failure, in one log line: the reason and the file
 * or server concerned. For SQLite an I/O error is looked into once, because SQLite reports most
 * failed writes as SQLITE_IOERR_WRITE without saying why (only ENOSPC becomes SQLITE_FULL).
 */
import { accessSync, constants, readFileSync, statfsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { StorageFailureReason } from '../sql-errors.js';

export interface StorageAdvice {
  /** The reason, made more precise where the error alone could not tell (SQLite I/O errors). */
  reason: StorageFailureReason;
  /** The log line: what is wrong, then what to do. */
  message: string;
}

/** Turns a classified failure into advice; called once per failure episode, not per request. */
export type StorageAdvisor = (reason: StorageFailureReason, error: unknown) => StorageAdvice;

/** Below this many free bytes, an I/O error on write is taken for a full disk (quotas report EDQUOT, not ENOSPC). */
const LOW_SPACE_BYTES = 1024 * 1024;
/** How close to RLIMIT_FSIZE a file must be for a write error to be put down to that limit. */
const FSIZE_SLACK_BYTES = 64 * 1024 * 1024;

const codeOf = (error: unknown): string => String((error as { code?: unknown } | null)?.code ?? 'unknown');

export function sqliteAdvisor(path: string): StorageAdvisor {
  const dir = dirname(path);
  return (reason, error) => {
    const code = codeOf(error);
    switch (reason) {
      case 'disk_full':
        return { reason, message: `database disk is full: free space on the filesystem of ${dir}` };
      case 'read_only':
        return code === 'SQLITE_READONLY_DBMOVED'
          ? { reason, message: `database file was moved or deleted while the server had it open: put it back at ${path}` }
          : { reason, message: `database file is read-only: check the permissions, owner and mount of ${path} (and its -wal and -shm files, and ${dir})` };
      case 'io_error':
        return diagnoseIoError(path, code);
      case 'cannot_open':
        return { reason, message: `database file cannot be opened: check that the server may read and write ${path} and create files in ${dir}` };
      case 'out_of_memory':
        return { reason, message: 'SQLite ran out of memory: give the server process more memory' };
      default:
        return { reason, message: `database ${path} is unavailable (${code})` };
    }
  };
}

/** SQLITE_IOERR_*: a read-only remount, a full disk, the file-size limit, or a failing disk. */
function diagnoseIoError(path: string, code: string): StorageAdvice {
  const dir = dirname(path);
  if (errorCode(() => accessSync(dir, constants.W_OK)) === 'EROFS') {
    return { reason: 'read_only', message: `database filesystem is read-only (${code}): remount ${dir} read-write; if the kernel remounted it after disk errors, check the disk first` };
  }
  const free = freeBytes(dir);
  if (free !== null && free < LOW_SPACE_BYTES) {
    return { reason: 'disk_full', message: `database disk is full (${code}): free space on the filesystem of ${dir}` };
  }
  const limit = fileSizeLimit();
  if (limit !== null && largestFile([path, `${path}-wal`]) + FSIZE_SLACK_BYTES >= limit) {
    return {
      reason: 'file_size_limit',
      message: `database file ${path} reached the server process's file-size limit of ${limit} bytes (RLIMIT_FSIZE, ulimit -f; ${code}): raise or remove the limit for the server`,
    };
  }
  return { reason: 'io_error', message: `database I/O error (${code}) on ${path}: check free space and quotas on ${dir} and the disk's health (kernel log)` };
}

function errorCode(fn: () => void): string | null {
  try {
    fn();
    return null;
  } catch (error) {
    return codeOf(error);
  }
}

function freeBytes(dir: string): number | null {
  try {
    const stats = statfsSync(dir);
    return stats.bavail * stats.bsize;
  } catch {
    return null;
  }
}

/** The soft RLIMIT_FSIZE of this process (Linux: /proc/self/limits), or null when unlimited or unknown. */
function fileSizeLimit(): number | null {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max file size'));
    const soft = line?.slice('Max file size'.length).trim().split(/\s+/)[0];
    return soft && /^\d+$/.test(soft) ? Number(soft) : null;
  } catch {
    return null;
  }
}

function largestFile(paths: string[]): number {
  return Math.max(0, ...paths.map((p) => {
    try {
      return statSync(p).size;
    } catch {
      return 0;
    }
  }));
}

/** PostgreSQL's failures, named by SQLSTATE, with the server as host:port/database (never credentials). */
export function postgresAdvisor(url: string): StorageAdvisor {
  const { hostname, port, pathname } = new URL(url);
  const server = `${hostname}:${port || '5432'}${pathname}`;
  return (reason, error) => {
    const code = codeOf(error);
    const said = error instanceof Error ? error.message : String(error);
    const messages: Partial<Record<StorageFailureReason, string>> = {
      disk_full: `PostgreSQL's disk is full (SQLSTATE ${code}, ${server}): free space on the database server`,
      read_only: `PostgreSQL refuses writes (SQLSTATE ${code}, ${server}): the database is read-only (a standby, or default_transaction_read_only is on): point DATABASE_URL at the primary, or turn read-only off`,
      too_many_connections: `PostgreSQL refuses new connections (SQLSTATE ${code}, ${server}: ${said}): raise max_connections or the role's or database's CONNECTION LIMIT, or lower DB_POOL_MAX times the number of server processes`,
      out_of_memory: `PostgreSQL is out of memory (SQLSTATE ${code}, ${server}): give the database server more memory`,
      insufficient_resources: `PostgreSQL lacks resources (SQLSTATE ${code}, ${server}): ${said}`,
      cannot_connect_now: `PostgreSQL is starting up, shutting down or recovering (SQLSTATE ${code}, ${server}): wait for it, or find out why it restarts`,
      io_error: `PostgreSQL reports an I/O error (SQLSTATE ${code}, ${server}): check the database server's disk`,
      unreachable: `PostgreSQL cannot be reached (${server}: ${said}): check that it runs and that DATABASE_URL names it`,
    };
    return { reason, message: messages[reason] ?? `PostgreSQL is unavailable (${code}, ${server}): ${said}` };
  };
}
