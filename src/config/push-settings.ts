/**
 * The Web Push settings (docs/API.md, "Web Push"), a part of config.ts's one table kept in a
 * file of its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { integer, onOff, text, vapidSubject } from './value-parsers.js';

export const PUSH_SETTINGS = {
  VAPID_PUBLIC_KEY: {
    default: '',
    doc: 'Web Push: the VAPID public key (base64url, uncompressed P-256 point), with VAPID_PRIVATE_KEY; empty: a key pair generated at first start and kept in the database, shared by every process.',
    parse: text,
  },
  VAPID_PRIVATE_KEY: { default: '', doc: 'Web Push: the VAPID private key (base64url, 32 bytes), with VAPID_PUBLIC_KEY.', parse: text },
  VAPID_SUBJECT: {
    default: '',
    doc: 'Web Push: how push services reach the operator, a mailto: or https: URL sent in every VAPID token; empty: PUBLIC_URL when it is https, else mailto:push-admin@pneumatic.invalid (set a real one: some push services refuse placeholders).',
    parse: vapidSubject,
  },
  PUSH_MAX_SUBSCRIPTIONS_PER_USER: {
    default: '10',
    doc: 'Web Push subscriptions (browsers) one user may register; another is refused with 409 too_many_push_subscriptions.',
    parse: integer(1, 1000),
  },
  PUSH_CONCURRENCY: { default: '32', doc: 'Web Push: requests to push services in flight at once, per process.', parse: integer(1, 1000) },
  PUSH_CONCURRENCY_PER_ORIGIN: {
    default: '16',
    doc: 'Web Push: requests in flight at once to one push service (origin), per process, so a slow or hanging service holds at most this many of PUSH_CONCURRENCY.',
    parse: integer(1, 1000),
  },
  PUSH_TIMEOUT_MS: {
    default: '10000',
    doc: 'Web Push: a push service that has not answered within this time is given up on for now; the push is retried with backoff.',
    parse: integer(100, 600_000),
  },
  PUSH_TTL_SECONDS: {
    default: '86400',
    doc: 'Web Push: how long a push service keeps a push for an offline device (the TTL header), and how long a push that cannot be delivered is retried before it is dropped.',
    parse: integer(0, 28 * 86400),
  },
  PUSH_COLLAPSE_SECONDS: {
    default: '5',
    doc: 'Web Push: after a push of a conversation, the next one to the same browser waits at least this long; the messages in between fold into it (it carries the newest). 0: a push as soon as the previous one went out.',
    parse: integer(0, 3600),
  },
  PUSH_POLL_MS: {
    default: '1000',
    doc: 'Web Push: how often each process looks for queued pushes it was not told about (another process\'s sends, retries that fell due, work left by a crash).',
    parse: integer(10, 3_600_000),
  },
  PUSH_ALLOW_INSECURE_ENDPOINTS: {
    default: 'off',
    doc: 'Test setting, never production: on accepts push subscriptions whose endpoint is http:// on a loopback address (a push service the tests run); otherwise only https:// endpoints on public addresses are accepted.',
    parse: onOff,
  },
} as const;

const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Problems of the push settings taken together: a key pair is both keys or neither, each of the right size. */
export function pushSettingProblems(c: { VAPID_PUBLIC_KEY: string; VAPID_PRIVATE_KEY: string }): string[] {
  if (c.VAPID_PUBLIC_KEY === '' && c.VAPID_PRIVATE_KEY === '') return [];
  if (c.VAPID_PUBLIC_KEY === '' || c.VAPID_PRIVATE_KEY === '') {
    return ['VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY go together: set both (e.g. from `npx web-push generate-vapid-keys`), or neither to have a pair generated and kept in the database.'];
  }
  const bytes = (key: string) => (BASE64URL.test(key) ? Buffer.from(key, 'base64url').length : -1);
  const problems: string[] = [];
  if (bytes(c.VAPID_PUBLIC_KEY) !== 65 || !c.VAPID_PUBLIC_KEY.startsWith('B')) problems.push('VAPID_PUBLIC_KEY must be an uncompressed P-256 public key in base64url (65 bytes, 87 characters starting with B).');
  if (bytes(c.VAPID_PRIVATE_KEY) !== 32) problems.push('VAPID_PRIVATE_KEY must be a P-256 private key in base64url (32 bytes, 43 characters).');
  return problems;
}
