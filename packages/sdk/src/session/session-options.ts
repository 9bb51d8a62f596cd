/** How a session is configured (by the app), what it is given (by the client), and the connection built from both. */
import type { BackoffOptions } from '../backoff.js';
import { PneumaticError } from '../errors.js';
import type { Outbox } from '../outbox.js';
import type { RestApi } from '../rest-api.js';
import type { ChatStateOptions } from '../state/chat-state.js';
import { Connection } from './connection.js';
import type { Session } from './session.js';
import type { WebSocketFactory } from './websocket.js';

export interface SessionOptions {
  /** Reconnect delays. Default: 250 ms doubling to at most 10 s, full jitter. */
  backoff?: BackoffOptions;
  /** Resend a message (same message_id) when its ack has not come within this long, ms. Default 10,000. */
  ackTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  /**
   * The highest event_seq applied per conversation id, saved from `session.positions()` by a
   * previous run: every change after it is applied (and announced) on connect. Conversations not
   * listed arrive as snapshots (their latest messages, not announced).
   */
  positions?: Record<string, number>;
  /**
   * The v1 way to resume: last seen message seq per conversation id (`session.cursors()`).
   * Messages after it are announced; the conversation's other events are replayed from its
   * start. Prefer `positions`; a conversation in both uses its position.
   */
  cursors?: Record<string, number>;
  /** Messages per snapshot (a conversation joined, or reset). Default 50; 0 to 200. */
  snapshotMessages?: number;
  state?: ChatStateOptions;
  /** Custom socket construction (tests, proxies). Default: native WebSocket, else `ws`. */
  webSocket?: WebSocketFactory;
}

export interface SessionDeps {
  api: RestApi;
  outbox: Outbox;
  url: string;
  token: () => string;
  selfId: string;
  factory: WebSocketFactory;
  /** Called once the session has closed for good. */
  onClosed: (session: Session) => void;
}

/** The session's self-healing socket. Only a refused token ends it; any other failure keeps it reconnecting. */
export function sessionConnection(deps: SessionDeps, options: SessionOptions): Connection {
  return new Connection({
    url: deps.url,
    token: deps.token,
    factory: deps.factory,
    backoff: options.backoff,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    shouldGiveUp: () => deps.api.me().then(() => false, (error: unknown) => error instanceof PneumaticError && error.status === 401),
  });
}
