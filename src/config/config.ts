/**
 * Every setting Pneumatic reads, in one table: name, default, unit, one-line doc.
 * `process.env` is read here and nowhere else; the result is frozen and passed down.
 */

import { EGRESS_SETTINGS } from './egress-settings.js';
import {
  ConfigValueError, integer, decimal, oneOf, text, onOff, origins, publicUrl, hostNames, databaseUrl, redisUrl, redisClusterNodes,
  type Setting,
  type RedisClusterSetting,
} from './value-parsers.js';
import { ACCOUNT_SETTINGS } from './account-settings.js';
import { readOidcProviders, SSO_SETTINGS, type OidcProviderSettings } from './sso-settings.js';
import { INTEGRATION_SETTINGS, webhookSettingProblems } from './integration-settings.js';
import { PUSH_SETTINGS, pushSettingProblems } from './push-settings.js';
import { RETENTION_SETTINGS } from './retention-settings.js';

export type { RedisClusterSetting };

const SETTINGS = {
  PORT: { default: '8000', doc: 'TCP port to listen on (0 picks a free one).', parse: integer(0, 65535) },
  HOST: { default: '127.0.0.1', doc: 'Interface to listen on; 0.0.0.0 for every interface.', parse: text },
  DATABASE_URL: {
    default: 'sqlite:./pneumatic.db',
    doc: 'sqlite:PATH (relative or absolute; sqlite:///abs/path.db) or postgres://user:password@host:port/db.',
    parse: databaseUrl,
  },
  DB_POOL_MAX: { default: '10', doc: 'PostgreSQL: most pooled connections per process.', parse: integer(1, 1000) },
  DB_STATEMENT_TIMEOUT_MS: {
    default: '10000',
    doc: 'PostgreSQL: a statement running longer is cancelled (and the request answers 503).',
    parse: integer(100, 3_600_000),
  },
  DB_CONNECT_TIMEOUT_MS: {
    default: '5000',
    doc: 'PostgreSQL: how long to wait for a connection before answering 503.',
    parse: integer(100, 600_000),
  },
  SQLITE_BUSY_TIMEOUT_MS: { default: '5000', doc: 'SQLite: how long a writer waits for another process\'s lock.', parse: integer(0, 600_000) },
  REDIS_URL: {
    default: '',
    doc: 'redis://host:port (or rediss://). When set, several server processes serve the same users: events cross between them and rate limits are counted in Redis.',
    parse: redisUrl,
  },
  REDIS_CLUSTER_NODES: {
    default: '',
    doc: 'Comma-separated seed nodes of a Redis Cluster (host:port, or redis://[user:password@]host:port; rediss:// for TLS), instead of REDIS_URL: events use sharded pub/sub (Redis 7 or later) and keys spread over the shards.',
    parse: redisClusterNodes,
  },
  REDIS_KEY_PREFIX: {
    default: 'pneumatic:',
    doc: 'Prefix of every Redis key and channel, so several deployments can share one Redis. With a cluster, no braces: a {hash tag} would put everything on one shard.',
    parse: text,
  },
  PNEUMATIC_WORKERS: {
    default: '1',
    doc: 'Worker processes sharing the port on this machine (node:cluster); more than 1 requires REDIS_URL or REDIS_CLUSTER_NODES.',
    parse: integer(1, 256),
  },
  CORS_ORIGINS: {
    default: '',
    doc: 'Comma-separated origins (exact match) allowed for CORS and WebSocket upgrades, besides the server\'s own; none means same origin only.',
    parse: origins,
  },
  PUBLIC_URL: {
    default: '',
    doc: 'The origin browsers use to reach the server (e.g. https://chat.example.com): its own origin for WebSocket upgrades, and its host name is accepted in Host.',
    parse: publicUrl,
  },
  ALLOWED_HOSTS: {
    default: '',
    doc: 'Comma-separated host names accepted in the Host header besides PUBLIC_URL\'s, IP addresses and localhost (".example.com" covers its subdomains, "*" any name); others get 421. With a HOST beyond loopback and neither this nor PUBLIC_URL set, any name is accepted.',
    parse: hostNames,
  },
  RATE_LIMITS: { default: 'on', doc: 'on, or off to disable every rate limit (benchmarks, trusted deployments).', parse: onOff },
  LOG_LEVEL: {
    default: 'info',
    doc: 'fatal, error, warn, info, debug, trace or silent.',
    parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'),
  },
  TRUST_PROXY: {
    default: 'off',
    doc: 'on when behind a reverse proxy, so X-Forwarded-For gives the client IP used by rate limits.',
    parse: onOff,
  },
  ...EGRESS_SETTINGS,

  BODY_MAX_BYTES: { default: '65536', doc: 'Largest accepted HTTP request body, in bytes (413 above).', parse: integer(1024, 16 * 1024 * 1024) },
  HTTP_REQUEST_TIMEOUT_MS: {
    default: '30000',
    doc: 'Time a client has to send a request\'s headers, from the connection opening (on a kept-alive connection, from the request\'s first byte), and then its body; a request still incomplete is answered 408 and its connection closed (headers checked once a second). Uploads (POST /uploads) are timed by UPLOAD_IDLE_TIMEOUT_MS instead.',
    parse: integer(100, 600_000),
  },
  HTTP_MAX_CONNECTIONS_PER_IP: {
    default: '256',
    doc: 'Open HTTP connections from one client IP on one process; another is answered 429 and closed unread. WebSockets count under WS_MAX_CONNECTIONS_PER_IP instead. Applies with RATE_LIMITS=on and TRUST_PROXY=off (behind a proxy, every connection comes from the proxy).',
    parse: integer(1, 10_000_000),
  },
  WS_MAX_FRAME_BYTES: { default: '65536', doc: 'Largest accepted WebSocket frame, in bytes; larger closes with 1009.', parse: integer(1024, 16 * 1024 * 1024) },
  WS_SEND_QUEUE_BYTES: {
    default: '1048576',
    doc: 'Bytes buffered for one socket that is not reading before it is closed with 4008 (reconnect).',
    parse: integer(16 * 1024, 1024 * 1024 * 1024),
  },
  WS_HEARTBEAT_MS: { default: '30000', doc: 'Interval of server pings; a peer silent for two intervals is closed.', parse: integer(1000, 3_600_000) },
  PRESENCE_AWAY_SECONDS: { default: '300', doc: 'A user whose devices are connected but none reported activity for this long is away rather than online (docs/API.md, "Presence").', parse: integer(1, 86_400) },
  PRESENCE_COALESCE_SECONDS: { default: '3', doc: 'At most one presence frame per user this often: changes within it are held, and only the latest status is sent, if it differs from the last one sent (0: none held).', parse: integer(0, 3600) },

  USERNAME_MIN_CHARS: { default: '3', doc: 'Shortest username.', parse: integer(1, 64) },
  USERNAME_MAX_CHARS: { default: '32', doc: 'Longest username.', parse: integer(1, 64) },
  PASSWORD_MIN_CHARS: { default: '8', doc: 'Shortest password.', parse: integer(1, 1024) },
  PASSWORD_MAX_CHARS: { default: '1024', doc: 'Longest password.', parse: integer(8, 4096) },
  TITLE_MAX_CHARS: { default: '200', doc: 'Longest conversation title.', parse: integer(1, 10_000) },
  CONTENT_MAX_CHARS: { default: '4000', doc: 'Longest message content.', parse: integer(1, 60_000) },
  MEMBERS_MAX: { default: '1000', doc: 'Most member_ids in one POST /conversations.', parse: integer(1, 100_000) },
  REACTIONS_MAX_DISTINCT: {
    default: '20',
    doc: 'Most different emoji on one message; a reaction with another one is refused with 409 too_many_reactions.',
    parse: integer(1, 1000),
  },
  MENTION_ALL_MAX_MEMBERS: {
    default: '20',
    doc: 'Largest conversation (in members) where any member may mention everyone with @all or @everyone; above it only owners may, and another member\'s send or edit is refused with 403 mention_all_forbidden.',
    parse: integer(0, 10_000_000),
  },

  UPLOAD_DIR: {
    default: '',
    doc: 'Directory of uploaded files on local disk; empty: next to the SQLite file (pneumatic.db keeps them in pneumatic-uploads/), or ./pneumatic-uploads with PostgreSQL. Unused when UPLOAD_S3_BUCKET is set.',
    parse: text,
  },
  UPLOAD_MAX_BYTES: { default: '26214400', doc: 'Largest file one POST /uploads accepts, in bytes (25 MiB); larger is refused with 413 file_too_large and nothing is kept.', parse: integer(1, 1024 * 1024 * 1024 * 1024) },
  UPLOAD_QUOTA_BYTES: {
    default: '1073741824',
    doc: 'Bytes of uploads one user may keep (1 GiB); an upload past it is refused with 413 upload_quota_exceeded. Files of deleted messages and orphans stop counting once cleaned up.',
    parse: integer(1, Number.MAX_SAFE_INTEGER),
  },
  UPLOAD_ORPHAN_HOURS: { default: '24', doc: 'Hours an upload no message attaches is kept before the clean-up job deletes it (decimals allowed, e.g. 0.01 in tests).', parse: decimal(0.0001, 100_000) },
  UPLOAD_CLEANUP_INTERVAL_MS: { default: '60000', doc: 'How often the clean-up job looks for orphaned uploads, files of deleted messages and interrupted uploads (a deleted message\'s files are looked at right away too).', parse: integer(100, 86_400_000) },
  UPLOAD_IDLE_TIMEOUT_MS: {
    default: '30000',
    doc: 'An upload whose client sends nothing for this long is cut off (408 request_timeout) and nothing of it kept. Uploads are exempt from HTTP_REQUEST_TIMEOUT_MS: a large file may take longer to send.',
    parse: integer(100, 3_600_000),
  },
  UPLOAD_URL_TTL_SECONDS: { default: '3600', doc: 'Lifetime of the signed download links in messages and uploads (rounded up by at most a quarter of it).', parse: integer(10, 7 * 86400) },
  UPLOAD_URL_SECRET: { default: '', doc: 'Key signing download links (at least 32 characters); empty: one generated at first start and kept in the database, shared by every process.', parse: text },
  UPLOAD_S3_BUCKET: { default: '', doc: 'Store uploads in this bucket of an S3-compatible object store instead of on local disk.', parse: text },
  UPLOAD_S3_ENDPOINT: { default: '', doc: 'The object store\'s URL (e.g. http://127.0.0.1:9000 for MinIO); empty: AWS S3 of UPLOAD_S3_REGION.', parse: text },
  UPLOAD_S3_REGION: { default: 'us-east-1', doc: 'The bucket\'s region.', parse: text },
  UPLOAD_S3_ACCESS_KEY_ID: { default: '', doc: 'Access key; empty: the AWS SDK\'s usual sources (AWS_ACCESS_KEY_ID, profiles, instance roles).', parse: text },
  UPLOAD_S3_SECRET_ACCESS_KEY: { default: '', doc: 'Secret key, with UPLOAD_S3_ACCESS_KEY_ID.', parse: text },
  UPLOAD_S3_FORCE_PATH_STYLE: { default: 'on', doc: 'on: http://endpoint/bucket/key addressing (MinIO and most S3-compatible stores); off: virtual-hosted http://bucket.endpoint/key.', parse: onOff },

  PASSWORD_HASH_COST: {
    default: 'owasp',
    doc: 'owasp (argon2id, m=19 MiB, t=2, p=1), or test: a cheap hash for test suites and benchmarks only, never production.',
    parse: oneOf('owasp', 'test'),
  },
  SESSION_TTL_SECONDS: {
    default: '2592000',
    doc: 'Lifetime of a login token (30 days by default); its open WebSockets are closed with 4401 when it expires. Values under a minute suit tests only.',
    parse: integer(1, 10 * 365 * 86400),
  },

  EVENT_RETENTION_DAYS: {
    default: '30',
    doc: 'Days the change feed keeps each event at least; a client whose position is older gets a snapshot of the conversation instead (0: keep only until the next compaction, for tests).',
    parse: integer(0, 36_500),
  },
  EVENT_COMPACTION_INTERVAL_MS: {
    default: '3600000',
    doc: 'How often expired change-feed events are removed.',
    parse: integer(100, 86_400_000),
  },

  RATE_LIMIT_MESSAGES_PER_MINUTE: { default: '3000', doc: 'Sends per user per minute (HTTP and WebSocket together).', parse: integer(1, 10_000_000) },
  RATE_LIMIT_UPLOADS_PER_MINUTE: { default: '60', doc: 'Uploads (POST /uploads) per user per minute.', parse: integer(1, 10_000_000) },
  RATE_LIMIT_SEARCHES_PER_MINUTE: { default: '120', doc: 'Searches (GET /search/messages) per user per minute.', parse: integer(1, 10_000_000) },
  RATE_LIMIT_LOGINS_PER_MINUTE: { default: '300', doc: 'Login attempts per client IP per minute.', parse: integer(1, 10_000_000) },
  RATE_LIMIT_LOGIN_FAILURES_PER_CLIENT: {
    default: '10',
    doc: 'Failed logins for one username from one client IP within 15 minutes; further attempts from that pair get 429 until the window ends (a success resets it).',
    parse: integer(1, 10_000_000),
  },
  RATE_LIMIT_LOGIN_THROTTLE_AFTER: {
    default: '5',
    doc: 'Failed logins for one username from any IP within 15 minutes before each further failure holds it for a growing time (1, 2, 4 ... s); never a lockout.',
    parse: integer(1, 10_000_000),
  },
  RATE_LIMIT_LOGIN_THROTTLE_MAX_SECONDS: {
    default: '30',
    doc: 'Longest hold of a username after failed logins (429 with Retry-After); IPs that logged in to it in the last 7 days are not held.',
    parse: integer(1, 3600),
  },
  RATE_LIMIT_REGISTRATIONS_PER_HOUR: { default: '3000', doc: 'Sign-ups per client IP per hour.', parse: integer(1, 10_000_000) },
  WS_MAX_CONNECTIONS_PER_USER: {
    default: '50',
    doc: 'Open WebSockets one user may hold on one process; more are refused with 429 (with RATE_LIMITS=on).',
    parse: integer(1, 1_000_000),
  },
  WS_MAX_CONNECTIONS_PER_IP: {
    default: '1000',
    doc: 'Open WebSockets from one client IP on one process; more are refused with 429 (with RATE_LIMITS=on).',
    parse: integer(1, 10_000_000),
  },
  WS_MAX_PENDING_UPGRADES: {
    default: '1000',
    doc: 'Upgrades being authenticated at once; more are refused with 503 (with RATE_LIMITS=on).',
    parse: integer(1, 10_000_000),
  },
  RATE_LIMIT_FRAMES_PER_SECOND: { default: '500', doc: 'WebSocket frames per connection per second.', parse: integer(1, 10_000_000) },

  ...PUSH_SETTINGS,
  ...ACCOUNT_SETTINGS,
  ...SSO_SETTINGS,
  ...INTEGRATION_SETTINGS,
  ...RETENTION_SETTINGS,
  SHUTDOWN_GRACE_MS: { default: '10000', doc: 'How long SIGTERM waits for in-flight work before exiting.', parse: integer(0, 600_000) },
} satisfies Record<string, Setting<unknown>>;

type Settings = typeof SETTINGS;
type SettingValues = { readonly [K in keyof Settings]: ReturnType<Settings[K]['parse']> };

/** Facts that follow from several settings, named once here so no caller re-derives them. */
export interface DerivedSettings {
  /**
   * Neither REDIS_URL nor REDIS_CLUSTER_NODES: this process is the only one serving its users. Events stay in memory, sessions
   * and memberships may be cached in process, and events arrive in publish order.
   */
  readonly singleProcess: boolean;
  /** OIDC_PROVIDERS with each one's OIDC_<ID>_* settings (sso-settings.ts). */
  readonly oidcProviders: readonly OidcProviderSettings[];
}

export type Config = SettingValues & DerivedSettings;

function derive(settings: SettingValues, oidcProviders: readonly OidcProviderSettings[]): DerivedSettings {
  return { singleProcess: settings.REDIS_URL === null && settings.REDIS_CLUSTER_NODES === null, oidcProviders };
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

function crossChecks(c: Config): string[] {
  const problems: string[] = [];
  if (c.USERNAME_MIN_CHARS > c.USERNAME_MAX_CHARS) problems.push('USERNAME_MIN_CHARS must not exceed USERNAME_MAX_CHARS.');
  if (c.PASSWORD_MIN_CHARS > c.PASSWORD_MAX_CHARS) problems.push('PASSWORD_MIN_CHARS must not exceed PASSWORD_MAX_CHARS.');
  if (c.PNEUMATIC_WORKERS > 1 && c.singleProcess) {
    problems.push('PNEUMATIC_WORKERS above 1 requires REDIS_URL (or REDIS_CLUSTER_NODES): workers exchange live events through Redis (e.g. REDIS_URL=redis://127.0.0.1:6379).');
  }
  if (c.UPLOAD_URL_SECRET !== '' && c.UPLOAD_URL_SECRET.length < 32) problems.push('UPLOAD_URL_SECRET must be at least 32 characters (or empty, to have one generated).');
  if ((c.UPLOAD_S3_ACCESS_KEY_ID === '') !== (c.UPLOAD_S3_SECRET_ACCESS_KEY === '')) {
    problems.push('UPLOAD_S3_ACCESS_KEY_ID and UPLOAD_S3_SECRET_ACCESS_KEY go together: set both, or neither to use the AWS SDK\'s usual credential sources.');
  }
  problems.push(...pushSettingProblems(c), ...webhookSettingProblems(c));
  if (!c.PASSWORD_LOGIN && c.oidcProviders.length === 0) problems.push('PASSWORD_LOGIN=off needs a single sign-on provider (OIDC_PROVIDERS): nobody could log in.');
  if (c.REDIS_URL !== null && c.REDIS_CLUSTER_NODES !== null) {
    problems.push('REDIS_URL and REDIS_CLUSTER_NODES are both set: set REDIS_URL for a single Redis, or REDIS_CLUSTER_NODES for a Redis Cluster, not both.');
  }
  return problems;
}

/** Parses every setting from `env`, collecting all problems before failing so one restart fixes them all. */
export function loadConfig(env: Record<string, string | undefined> = process.env, overrides: Partial<SettingValues> = {}): Config {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const [name, setting] of Object.entries(SETTINGS) as [string, Setting<unknown>][]) {
    const raw = env[name] ?? setting.default;
    try {
      result[name] = setting.parse(raw);
    } catch (error) {
      if (!(error instanceof ConfigValueError)) throw error;
      problems.push(`${name} ${error.message}. ${setting.doc}`);
    }
  }
  Object.assign(result, overrides);
  if (problems.length > 0) throw new ConfigError(problems);
  const settings = result as SettingValues;
  const sso = readOidcProviders(env, settings.OIDC_PROVIDERS, settings.OIDC_ALLOW_HTTP);
  if (sso.problems.length > 0) throw new ConfigError(sso.problems);
  const config: Config = { ...settings, ...derive(settings, Object.freeze(sso.providers)) };
  const crossProblems = crossChecks(config);
  if (crossProblems.length > 0) throw new ConfigError(crossProblems);
  return Object.freeze(config);
}

export interface SettingDescription {
  readonly name: string;
  /** The default as written in the environment; '' when unset by default. */
  readonly default: string;
  readonly doc: string;
}

/** Every setting, in table order, for `--help` and the README (see settings-table.ts). */
export function describeSettings(): SettingDescription[] {
  return Object.entries(SETTINGS).map(([name, s]) => ({ name, default: s.default, doc: s.doc }));
}
