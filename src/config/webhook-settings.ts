/**
 * Outgoing webhooks' settings (docs/API.md, "Outgoing webhooks"), a part of config.ts's one
 * table kept in a file of its own. Same shape as every other setting: default, one-line doc, parser.
 */
import { integer, onOff } from './value-parsers.js';

export const WEBHOOK_SETTINGS = {
  WEBHOOKS_MAX_PER_USER: {
    default: '20',
    doc: 'Outgoing webhooks one user may own; another is refused with 409 too_many_webhooks.',
    parse: integer(0, 10_000),
  },
  WEBHOOK_ALLOW_HTTP: {
    default: 'off',
    doc: 'Test setting, never production: on accepts http:// webhook URLs; otherwise only https://. Private addresses need EGRESS_ALLOW_PRIVATE_ADDRESSES (or EGRESS_ALLOWED_HOSTS) as well.',
    parse: onOff,
  },
  WEBHOOK_TIMEOUT_MS: {
    default: '10000',
    doc: 'Deadline of one delivery (connecting, sending, the answer); a receiver slower than this is a failed attempt, retried.',
    parse: integer(100, 120_000),
  },
  WEBHOOK_CONCURRENCY: {
    default: '64',
    doc: 'Deliveries in flight at once per process, over all webhooks.',
    parse: integer(1, 10_000),
  },
  WEBHOOK_CONCURRENCY_PER_ENDPOINT: {
    default: '4',
    doc: 'Deliveries in flight at once per webhook and process (one per conversation at most, to keep their order): a slow receiver holds this many and no more.',
    parse: integer(1, 1_000),
  },
  WEBHOOK_RETRY_BASE_MS: {
    default: '5000',
    doc: 'Wait after a failed delivery before the first retry; it doubles after each failure (with jitter) up to WEBHOOK_RETRY_MAX_MS.',
    parse: integer(10, 86_400_000),
  },
  WEBHOOK_RETRY_MAX_MS: {
    default: '3600000',
    doc: 'Longest wait between two attempts at a delivery (1 hour).',
    parse: integer(10, 86_400_000),
  },
  WEBHOOK_DISABLE_AFTER_SECONDS: {
    default: '259200',
    doc: 'A webhook with no successful delivery for this long (3 days) is disabled (disabled_reason "failing") until its owner enables it; a single event failing this long while others succeed is given up. Retries go on until then.',
    parse: integer(1, 365 * 86_400),
  },
  WEBHOOK_SECRET_OVERLAP_SECONDS: {
    default: '86400',
    doc: 'After a secret is rotated, deliveries are signed with the old secret too for this long, so receivers can switch without missing one.',
    parse: integer(0, 30 * 86_400),
  },
  WEBHOOK_POLL_MS: {
    default: '1000',
    doc: 'How often each process looks for webhook work it was not woken for (changes committed by other processes, retries that came due, redeliveries).',
    parse: integer(50, 60_000),
  },
  WEBHOOK_LOG_RETENTION_DAYS: {
    default: '14',
    doc: 'Days the delivery log keeps each delivery (a retrying one is kept until it settles).',
    parse: integer(1, 3_650),
  },
};

/** Problems between webhook settings (config.ts reports them with every other). */
export function webhookSettingProblems(c: { WEBHOOK_RETRY_BASE_MS: number; WEBHOOK_RETRY_MAX_MS: number }): string[] {
  return c.WEBHOOK_RETRY_BASE_MS > c.WEBHOOK_RETRY_MAX_MS ? ['WEBHOOK_RETRY_BASE_MS must not exceed WEBHOOK_RETRY_MAX_MS.'] : [];
}
