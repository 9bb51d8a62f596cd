/**
 * Retention's settings (docs/API.md, "Retention"), a part of config.ts's one table. The periods
 * themselves are set through the API (an admin's and each conversation's owners'); these say
 * how the job that deletes what is due runs.
 */
import { integer } from './value-parsers.js';

export const RETENTION_SETTINGS = {
  RETENTION_INTERVAL_MS: {
    default: '600000',
    doc: 'How often the retention job looks for messages older than their period (one process at a time runs it, under a lease); a changed period is applied at once.',
    parse: integer(100, 86_400_000),
  },
  RETENTION_BATCH_SIZE: {
    default: '200',
    doc: 'Messages the retention job deletes per transaction: a send waits at most for one such batch.',
    parse: integer(1, 10_000),
  },
  RETENTION_BATCH_PAUSE_MS: {
    default: '5',
    doc: "The retention job's least pause between two batches; it rests at least as long as the batch took, leaving the database and the event loop to sends.",
    parse: integer(0, 60_000),
  },
} as const;
