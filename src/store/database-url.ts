import { isAbsolute, resolve } from 'node:path';

export type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string };

/**
 * `sqlite:PATH` (relative to the working directory, or absolute), `sqlite:///abs/path.db`,
 * `sqlite::memory:`, or a `postgres://` URL.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//.test(url)) return { dialect: 'postgres', url };
  if (!url.startsWith('sqlite:')) throw new Error(`Unsupported DATABASE_URL: ${url.split(':')[0]}`);
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('//')) path = path.slice(2);
  if (path === ':memory:') return { dialect: 'sqlite', path };
  if (path === '') throw new Error('DATABASE_URL sqlite: needs a file path, e.g. sqlite:./pneumatic.db');
  return { dialect: 'sqlite', path: isAbsolute(path) ? path : resolve(path) };
}
