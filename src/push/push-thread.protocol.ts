/** What the main thread and the push thread (push.worker.ts, push-thread.ts) say to each other. */
import type { DeliveryOutcome, OutboxMessage, PushRecipient } from '../domain/ports/push-repository.js';
import type { PushEngineSettings } from './push-engine.js';
import type { VapidKeys } from './vapid.js';

export interface PushThreadData {
  /** The SQLite database file. */
  path: string;
  busyTimeoutMs: number;
  settings: PushEngineSettings;
  keys: VapidKeys;
}

export type ToPushThread =
  /** A message was stored. */
  | { type: 'wake' }
  /** The answer to a `decide`: each message's recipients, or why there is none. */
  | { type: 'decided'; id: number; recipients: PushRecipient[][] }
  | { type: 'decided'; id: number; error: string }
  /** Finish what is in flight, record it, and say `stopped`. */
  | { type: 'stop' };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type FromPushThread =
  /** Who gets a push for these messages: settings and presence live on the main thread. */
  | { type: 'decide'; id: number; messages: OutboxMessage[]; at: number }
  /** A log line; an `err` in `object` arrives as { message, stack, code }. */
  | { type: 'log'; level: LogLevel; object: Record<string, unknown>; message: string }
  /** How many pushes ended each way since the last count (sent at most every 100 ms, not per push). */
  | { type: 'outcomes'; counts: Partial<Record<DeliveryOutcome['kind'], number>> }
  | { type: 'stopped' };
