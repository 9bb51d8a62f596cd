/** What the main thread and the webhook thread (webhook.worker.ts, webhook-thread.ts) say to each other. */
import type { DbOptions } from '../store/db.js';
import type { WebhookEngineSettings } from './webhook-engine.js';

export interface WebhookThreadData {
  databaseUrl: string;
  db: DbOptions;
  settings: WebhookEngineSettings;
  /** The egress rules (EGRESS_*), the per-endpoint socket bound and deadline. */
  egress: { allowPrivateAddresses: boolean; allowedHosts: readonly string[]; maxSocketsPerOrigin: number; timeoutMs: number; maxResponseBytes: number };
  /** Host names resolved as listed rather than by DNS (tests: the SSRF table). */
  hosts: Record<string, string[]> | null;
  /** The upload link signer's key and lifetime, so links in bodies are signed as in answers. */
  signing: { secret: string; ttlSeconds: number };
}

export type ToWebhookThread =
  /** Changes to these conversations were committed by this process. */
  | { type: 'wake'; conversations: string[] }
  /** Finish what is in flight, write it, and say `stopped`. */
  | { type: 'stop' };

export type LogLevel = 'info' | 'warn' | 'error';

export type FromWebhookThread =
  /** A log line; an `err` in `object` arrives as { message, stack, code }. */
  | { type: 'log'; level: LogLevel; object: Record<string, unknown>; message: string }
  /** Attempts that ended each way since the last count (at most every 100 ms). */
  | { type: 'outcomes'; delivered: number; failed: number }
  | { type: 'stopped' };
