/**
 * One logical WebSocket connection that reopens itself: exponential backoff with jitter between
 * attempts, a ping heartbeat that detects half-open sockets, and terminal close codes honoured.
 */
import { Backoff, type BackoffOptions } from '../backoff.js';
import { Emitter } from '../emitter.js';
import type { ClientFrame, ServerFrame } from '../types.js';
import { CloseCode, FIRST_RECONNECT_CLOSE_CODE, FIRST_TERMINAL_CLOSE_CODE } from '@pneumatic/protocol/close-codes';
import { OPEN, type WebSocketFactory, type WebSocketLike } from './websocket.js';

/** The code this client closes with when it drops a socket to reconnect: one of the reconnect range. */
const CLIENT_RECONNECT = FIRST_RECONNECT_CLOSE_CODE;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionStateChange {
  state: ConnectionState;
  /** Set with `reconnecting`: the wait before the next attempt, ms, and the attempt number. */
  delayMs?: number;
  attempt?: number;
  /** Set when a socket closed: its close code and reason. */
  code?: number;
  reason?: string;
}

export interface ConnectionOptions {
  url: string;
  token: () => string;
  factory: WebSocketFactory;
  backoff?: BackoffOptions;
  /** Ping after this long without traffic, ms. Default 25,000. */
  heartbeatIntervalMs?: number;
  /** Reconnect when a ping gets no answer within this long, ms. Default 10,000. */
  heartbeatTimeoutMs?: number;
  /** Asked after a socket fails before opening; true stops reconnecting (e.g. the token was revoked). */
  shouldGiveUp?: () => Promise<boolean>;
}

interface ConnectionEvents {
  state: ConnectionStateChange;
  open: undefined;
  frame: ServerFrame;
}

export class Connection extends Emitter<ConnectionEvents> {
  private socket: WebSocketLike | null = null;
  private currentState: ConnectionState = 'closed';
  private readonly backoff: Backoff;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeatTimer: ReturnType<typeof setTimeout> | undefined;
  private awaitingPong = false;
  private stopped = true;

  constructor(private readonly options: ConnectionOptions) {
    super();
    this.backoff = new Backoff(options.backoff);
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  get isOpen(): boolean {
    return this.currentState === 'open' && this.socket?.readyState === OPEN;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.open('connecting');
  }

  /** Sends a frame if the socket is open; false otherwise (the caller keeps it for later). */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen || !this.socket) return false;
    try {
      this.socket.send(JSON.stringify(frame));
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the current socket and reconnects after the backoff delay (as if the network failed). */
  reconnect(reason = 'client reconnect'): void {
    if (this.stopped) return;
    this.dropSocket(CLIENT_RECONNECT, reason);
    this.scheduleRetry(CLIENT_RECONNECT, reason);
  }

  /** Closes for good: no more reconnects. */
  stop(code = 1000, reason = 'client closed'): void {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.dropSocket(code, reason);
    this.setState({ state: 'closed', code, reason });
  }

  private open(state: 'connecting' | 'reconnecting'): void {
    if (state === 'connecting') this.setState({ state });
    let socket: WebSocketLike;
    try {
      socket = this.options.factory(this.options.url, this.options.token());
    } catch (error) {
      this.scheduleRetry(1006, error instanceof Error ? error.message : String(error));
      return;
    }
    this.socket = socket;
    let opened = false;
    socket.onopen = () => {
      if (this.socket !== socket) return;
      opened = true;
      this.backoff.reset();
      this.setState({ state: 'open' });
      this.armHeartbeat();
      this.emit('open', undefined);
    };
    socket.onmessage = (event) => {
      if (this.socket !== socket) return;
      this.armHeartbeat();
      const frame = parseFrame(event.data);
      if (frame) this.emit('frame', frame);
    };
    const closed = (code: number, reason: string) => {
      if (this.socket !== socket) return;
      this.socket = null;
      clearTimeout(this.heartbeatTimer);
      void this.afterClose(code, reason, opened);
    };
    // A failed connection fires error, then close with 1006 (WHATWG WebSockets, "fail the
    // WebSocket connection"). Node 22's built-in WebSocket fires only the error when a connect is
    // refused, so the error alone counts as that close; a close that follows is then ignored.
    socket.onerror = () => closed(1006, 'connection failed');
    socket.onclose = (event) => closed(event.code, event.reason);
  }

  private async afterClose(code: number, reason: string, opened: boolean): Promise<void> {
    if (this.stopped) return;
    if (code === CloseCode.SESSION_REVOKED || code >= FIRST_TERMINAL_CLOSE_CODE) return this.giveUp(code, reason);
    if (!opened && this.options.shouldGiveUp && (await this.options.shouldGiveUp().catch(() => false))) {
      return this.giveUp(code, reason || 'refused');
    }
    if (this.stopped) return;
    this.scheduleRetry(code, reason);
  }

  private giveUp(code: number, reason: string): void {
    this.stopped = true;
    this.setState({ state: 'closed', code, reason });
  }

  private scheduleRetry(code: number, reason: string): void {
    clearTimeout(this.retryTimer);
    const attempt = this.backoff.attempts + 1;
    const delayMs = this.backoff.next();
    this.setState({ state: 'reconnecting', delayMs, attempt, code, reason });
    this.retryTimer = setTimeout(() => {
      if (!this.stopped) this.open('reconnecting');
    }, delayMs);
  }

  private dropSocket(code: number, reason: string): void {
    clearTimeout(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.onopen = socket.onmessage = socket.onclose = null;
    socket.onerror = () => {};
    try {
      const terminate = (socket as { terminate?: () => void }).terminate;
      if (code === CLIENT_RECONNECT && typeof terminate === 'function') terminate.call(socket);
      else socket.close(code, reason);
    } catch {
      // already closing
    }
  }

  /** Any incoming frame proves the socket alive; silence gets a ping, and silence after it a reconnect. */
  private armHeartbeat(): void {
    clearTimeout(this.heartbeatTimer);
    this.awaitingPong = false;
    this.heartbeatTimer = setTimeout(() => this.beat(), this.options.heartbeatIntervalMs ?? 25_000);
  }

  private beat(): void {
    if (this.awaitingPong) return this.reconnect('heartbeat timeout');
    this.awaitingPong = true;
    this.send({ type: 'ping' });
    this.heartbeatTimer = setTimeout(() => this.beat(), this.options.heartbeatTimeoutMs ?? 10_000);
  }

  private setState(change: ConnectionStateChange): void {
    this.currentState = change.state;
    this.emit('state', change);
  }
}

function parseFrame(data: unknown): ServerFrame | null {
  const text = typeof data === 'string' ? data : data instanceof ArrayBuffer ? new TextDecoder().decode(data) : String(data);
  try {
    const frame = JSON.parse(text) as unknown;
    return frame !== null && typeof frame === 'object' && typeof (frame as { type?: unknown }).type === 'string' ? (frame as ServerFrame) : null;
  } catch {
    return null;
  }
}
