/** DATABASE_URL forms the store accepts, and the ones it refuses with a message that says why. */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../src/store/database-url.js';

describe('parseDatabaseUrl', () => {
  it('resolves a relative SQLite path against the working directory and keeps an absolute one', () => {
    expect(parseDatabaseUrl('sqlite:./data/chat.db')).toEqual({ dialect: 'sqlite', path: resolve('data/chat.db') });
    expect(parseDatabaseUrl('sqlite:///var/lib/chat.db')).toEqual({ dialect: 'sqlite', path: '/var/lib/chat.db' });
  });

  it('passes a PostgreSQL URL through', () => {
    expect(parseDatabaseUrl('postgres://u:p@db:5432/chat')).toEqual({ dialect: 'postgres', url: 'postgres://u:p@db:5432/chat' });
  });

  it('refuses an in-memory SQLite database: the writer thread could not share it', () => {
    expect(() => parseDatabaseUrl('sqlite::memory:')).toThrow(/sqlite::memory: is not supported/);
  });

  it('refuses an empty SQLite path and an unknown scheme', () => {
    expect(() => parseDatabaseUrl('sqlite:')).toThrow(/needs a file path/);
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/Unsupported DATABASE_URL: mysql/);
  });
});
