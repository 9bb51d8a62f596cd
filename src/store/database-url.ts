import { isAbsolute, resolve } from 'node:path';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * `sqlite:PATH` (relative to the working directory, or absolute), `sqlite:///abs/path.db`, or a
 * `postgres://` URL. Not `sqlite::memory:`: sends are written by a thread with a connection of
 * its own, and an in-memory database cannot be shared between connections.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  if (!url.startsWith('sqlite:')) throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]}`);
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === ':memory:') throw new Error('DATABASE_URL sqlite::memory: is not supported; give a file path, e.g. sqlite:./pneumatic.db');
  if (path === '') throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./pneumatic.db');
  return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(path) };
}
