/**
 * How each setting's text becomes a value, or a ConfigValueError saying what was expected
 * (config.ts names the setting around it).
 */

export type Parser<T> = (raw: string) => T;

/** One row of config.ts's settings table: the default as written in the environment, a one-line doc, and how to read it. */
export interface Setting<T> {
  readonly default: string;
  readonly doc: string;
  readonly parse: Parser<T>;
}

export class ConfigValueError extends Error {}

export function integer(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^-?\d+$/.test(raw.trim())) throw new ConfigValueError(`must be a whole number, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigValueError(`must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

/** A decimal number (e.g. hours: `0.5`), for settings a test needs to set below one unit. */
export function decimal(min: number, max: number): Parser<number> {
  return (raw) => {
    if (!/^\d+(\.\d+)?$/.test(raw.trim())) throw new ConfigValueError(`must be a number such as 24 or 0.5, got "${raw}"`);
    const value = Number(raw);
    if (value < min || value > max) throw new ConfigValueError(`must be between ${min} and ${max}, got ${value}`);
    return value;
  };
}

export function oneOf<const T extends string>(...values: T[]): Parser<T> {
  return (raw) => {
    const value = raw.trim().toLowerCase();
    if (!(values as string[]).includes(value)) {
      throw new ConfigValueError(`must be one of ${values.join(', ')}, got "${raw}"`);
    }
    return value as T;
  };
}

export const text: Parser<string> = (raw) => raw;

export const onOff: Parser<boolean> = (raw) => ['on', 'true', '1'].includes(oneOf('on', 'off', 'true', 'false', '1', '0')(raw));

export const origins: Parser<readonly string[]> = (raw) => {
  const list = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  for (const origin of list) {
    let parsed: URL;
    try {
      parsed = new URL(origin);
    } catch {
      throw new ConfigValueError(`"${origin}" is not an origin such as https://chat.example.com`);
    }
    // Exact-match comparison later needs the serialized origin, with no path or trailing slash.
    if (parsed.origin !== origin) {
      throw new ConfigValueError(`"${origin}" must be written as an origin, e.g. "${parsed.origin}"`);
    }
  }
  return Object.freeze(list);
};

export const publicUrl: Parser<string | null> = (raw) => {
  if (raw.trim() === '') return null;
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    throw new ConfigValueError(`"${raw}" is not a URL such as https://chat.example.com`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new ConfigValueError('must be an http:// or https:// URL');
  if (parsed.origin !== raw.trim().replace(/\/$/, '')) {
    throw new ConfigValueError(`must be the origin only (scheme, host and port), e.g. "${parsed.origin}"`);
  }
  return parsed.origin;
};

export const hostNames: Parser<readonly string[]> = (raw) => {
  const list = raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);
  for (const name of list) {
    if (name !== '*' && !/^\.?[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(name)) {
      throw new ConfigValueError(`"${name}" is not a host name such as chat.example.com or .example.com (no scheme or port)`);
    }
  }
  return Object.freeze(list);
};

export const databaseUrl: Parser<string> = (raw) => {
  if (/^sqlite:/.test(raw) || /^postgres(ql)?:\/\//.test(raw)) return raw;
  throw new ConfigValueError('must be sqlite:PATH or postgres://user:password@host:port/database');
};

export const redisUrl: Parser<string | null> = (raw) => {
  if (raw.trim() === '') return null;
  if (!/^rediss?:\/\//.test(raw)) throw new ConfigValueError('must be redis://host:port or rediss://host:port');
  return raw;
};

/** A Redis Cluster to use instead of a single Redis: the seeds, and what every node shares. */
export interface RedisClusterSetting {
  /** Nodes to discover the cluster from; any one reachable is enough, the rest are found. */
  readonly nodes: readonly { readonly host: string; readonly port: number }[];
  readonly username: string | null;
  readonly password: string | null;
  readonly tls: boolean;
}

const CLUSTER_NODE_FORMAT = 'host:port or redis://[user:password@]host:port (rediss:// for TLS)';

export const redisClusterNodes: Parser<RedisClusterSetting | null> = (raw) => {
  const entries = raw.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (entries.length === 0) return null;
  const parsed = entries.map((entry) => {
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(entry) ? entry : `redis://${entry}`);
    } catch {
      throw new ConfigValueError(`"${entry.replace(/^([a-z]+:\/\/)?[^@/]*@/i, '$1…@')}" is not ${CLUSTER_NODE_FORMAT}`);
    }
    if ((url.protocol !== 'redis:' && url.protocol !== 'rediss:') || url.hostname === '' || !['', '/'].includes(url.pathname)) {
      throw new ConfigValueError(`each node must be ${CLUSTER_NODE_FORMAT} (a cluster has no database number)`);
    }
    return url;
  });
  const first = parsed[0]!;
  // Credentials and TLS apply to every node, including those discovered later, so the seeds must agree.
  if (parsed.some((u) => u.protocol !== first.protocol || u.username !== first.username || u.password !== first.password)) {
    throw new ConfigValueError('nodes must all use the same scheme and credentials');
  }
  return Object.freeze({
    nodes: Object.freeze(parsed.map((u) => Object.freeze({ host: u.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(u.port || 6379) }))),
    username: first.username === '' ? null : decodeURIComponent(first.username),
    password: first.password === '' ? null : decodeURIComponent(first.password),
    tls: first.protocol === 'rediss:',
  });
};

/** A VAPID subject (RFC 8292, section 2.1): a mailto: or https: URL; empty picks a default. */
export const vapidSubject: Parser<string> = (raw) => {
  const value = raw.trim();
  if (value === '') return '';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new ConfigValueError(`"${value}" is not a mailto: or https: URL such as mailto:ops@example.com`);
  }
  if (parsed.protocol !== 'mailto:' && parsed.protocol !== 'https:') throw new ConfigValueError('must be a mailto: or https: URL');
  return value;
};
