/** Commands and results exchanged between the runner and the load generator (JSON lines over stdin/stdout). */
import type { Percentiles } from './stats.js';

export interface ClientSpec {
  userId: string;
  token: string;
}

export interface ConversationSpec {
  id: string;
  memberIds: string[];
}

/** A (client index, conversation) pair that may send; the generator round-robins over them. */
export interface SenderSpec {
  client: number;
  conversationId: string;
}

export interface HttpRequestSpec {
  path: string;
  token: string;
  body?: unknown;
  /** For populate: POST unless given (edits, deletes and renames use PATCH and DELETE). */
  method?: 'POST' | 'PATCH' | 'DELETE';
}

export type GeneratorCommand =
  | { cmd: 'connect'; wsUrl: string; clients: ClientSpec[]; localAddresses: string[]; concurrency: number; timeoutMs: number }
  | { cmd: 'topology'; conversations: ConversationSpec[]; senders: SenderSpec[] }
  | { cmd: 'step'; rate: number; durationMs: number; drainMs: number; contentBytes: number }
  | { cmd: 'http-load'; baseUrl: string; method: 'GET'; requests: HttpRequestSpec[]; rate: number; durationMs: number; drainMs: number; maxSockets: number }
  | { cmd: 'populate'; baseUrl: string; requests: HttpRequestSpec[]; concurrency: number }
  | { cmd: 'status' }
  | { cmd: 'close' };

export type GeneratorRequest = GeneratorCommand & { id: number };

export interface GeneratorResponse {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export interface ConnectResult {
  requested: number;
  opened: number;
  failed: number;
  elapsedMs: number;
  errors: string[];
}

export interface StepResult {
  rate: number;
  durationMs: number;
  /** Wall time from the first to the last send: longer than durationMs when the generator lagged. */
  sendWindowMs: number;
  sent: number;
  acked: number;
  expectedDeliveries: number;
  delivered: number;
  missingDeliveries: number;
  duplicates: number;
  outOfOrder: number;
  stale: number;
  errors: number;
  closes: number;
  errorSamples: string[];
  aborted: string | null;
  ack: Percentiles;
  delivery: Percentiles;
  /** Acks in each second since the step began (the last one partial); startedAtMs: that beginning, Date.now() on this machine. */
  ackedPerSecond: number[];
  startedAtMs: number;
  /** Messages acknowledged (committed) per second of the step, and deliveries per second. */
  storedPerSecond: number;
  deliveriesPerSecond: number;
  /** Fraction of one core the generator used during the step. */
  generatorCpu: number;
  /** Longest gap between the generator's 1 ms send ticks (a stall when its CPU was low). */
  maxTickGapMs: number;
  openClients: number;
}

export interface HttpLoadResult {
  rate: number;
  durationMs: number;
  sendWindowMs: number;
  sent: number;
  completed: number;
  errors: number;
  errorSamples: string[];
  aborted: string | null;
  latency: Percentiles;
  completedPerSecond: number;
  generatorCpu: number;
}

export interface PopulateResult {
  ok: number;
  failed: number;
  elapsedMs: number;
  errors: string[];
}
