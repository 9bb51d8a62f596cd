import type { HeldScopes } from '../domain/scope.policy.js';
import type { FastifyBaseLogger } from 'fastify';
import WebSocket from 'ws';
import { CloseCode, type ServerFrame } from '@pneumatic/protocol';
import type { DeviceActivity } from '../domain/presence.js';
import { SendQueueStats } from '../observability/send-queue-stats.js';
import { coalesceWrites, type Corkable } from './write-coalescer.js';

export interface ConnectionLimits {
  /** Bytes that may wait in the socket's buffer before the peer counts as too slow. */
  sendQueueBytes: number;
  /** Frames a second the client may send, or null for no limit. */
  framesPerSecond: number | null;
  /**
   * Signs the upload links in a frame's text as it is sent, so each recipient gets links valid
   * from now (files/signed-urls.ts); frames without links pass through unchanged.
   */
  signUrls?: (text: string) => string;
}

let nextConnectionId = 1;

/** Where every connection's chain of sends starts: one settled promise shared, not one per idle socket. */
const SETTLED: Promise<unknown> = Promise.resolve();

/**
 * Pongs a socket may have written but not yet flushed; a ping beyond them closes it with 1008.
 * The ws library's own bound (its maxPendingAutoPongs default) cut such a socket with no close
 * frame, so pings are answered here instead, and the client is told why it was dropped.
 */
export const MAX_PENDING_PONGS = 60;

/**
 * The socket class the gateway's WebSocket server creates (ws's `WebSocket` option): it knows
 * its Connection, so one listener function per event serves every socket (`this` is the
 * socket) instead of a closure per socket and event.
 */
export class ConnectionSocket extends WebSocket {
  /** Set when the socket opens, before any listener that reads it is added. */
  connection!: Connection;
}

/** The connection of a socket the gateway's server created (each is a ConnectionSocket). */
export function connectionOf(socket: WebSocket): Connection {
  return (socket as ConnectionSocket).connection;
}

/** One authenticated socket: who it belongs to, a bounded send queue and a frame budget. */
export class Connection {
  readonly id = nextConnectionId++;
  /** Cleared at each heartbeat, set by any sign of life; a connection still clear at the next beat is dead. */
  alive = true;
  /** What the device last reported in an `activity` frame; null until it does (docs/API.md, "Presence"). */
  device: DeviceActivity | null = null;
  private windowStartedAt = 0;
  private sends: Promise<unknown> = SETTLED;
  private framesInWindow = 0;
  private pendingPongs = 0;

  constructor(
    readonly socket: WebSocket,
    readonly userId: string,
    readonly sessionId: string,
    readonly ip: string,
    /** Shared by every connection of a gateway (an object per socket would be memory on every idle one). */
    private readonly limits: ConnectionLimits,
    readonly log: FastifyBaseLogger,
    /** When the token the socket was opened with expires (epoch ms); the socket must not outlive it. */
    readonly sessionExpiresAt: number = Number.POSITIVE_INFINITY,
    private readonly queueStats: SendQueueStats = new SendQueueStats(),
    /** The TCP socket under `socket`: frames of one event-loop turn are written to it at once. */
    private readonly transport: Corkable | null = null,
    /** The token's scopes (domain/scope.policy.ts): null for a login session, which holds every one. */
    readonly scopes: HeldScopes = null,
  ) {}

  /** True once the session has expired: a number compare, cheap enough for every frame. */
  sessionExpired(now = Date.now()): boolean {
    return now >= this.sessionExpiresAt;
  }

  get isOpen(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  send(frame: ServerFrame): void {
    this.sendText(JSON.stringify(frame));
  }

  /** Sends an already serialized frame (fan-out serializes once for every recipient). */
  sendText(unsigned: string): void {
    if (!this.isOpen) return;
    const text = this.limits.signUrls ? this.limits.signUrls(unsigned) : unsigned;
    // A peer that stops reading must not grow our memory without bound: drop it, it will
    // reconnect and catch up from history.
    const queued = this.socket.bufferedAmount + text.length;
    if (queued > this.limits.sendQueueBytes) {
      this.log.warn({ connection: this.id, buffered: this.socket.bufferedAmount }, 'closing slow consumer');
      this.queueStats.slowConsumersClosed += 1;
      this.close(CloseCode.SLOW_CONSUMER, 'send queue full; reconnect and catch up');
      return;
    }
    if (queued > this.queueStats.peakBytes) this.queueStats.peakBytes = queued;
    if (this.transport) coalesceWrites(this.transport);
    this.socket.send(text);
  }

  /**
   * Answers a ping control frame (RFC 6455 §5.5.2), unless pongs are piling up unsent: a client
   * that floods pings faster than it reads would otherwise grow our memory. That one is closed
   * with 1008 while the socket can still carry a close frame (it is still open), then cut.
   */
  answerPing(data: Buffer): void {
    if (!this.isOpen) return;
    if (this.pendingPongs >= MAX_PENDING_PONGS) {
      this.log.warn({ connection: this.id }, 'closing ping flood');
      this.close(CloseCode.POLICY_VIOLATION, 'too many pings; slow down');
      return;
    }
    this.pendingPongs += 1;
    // Called once the pong is flushed, or with an error once the socket is gone.
    this.socket.pong(data, false, () => {
      this.pendingPongs -= 1;
    });
  }

  /** Starts the close handshake, and cuts the socket if the peer does not answer it. */
  close(code: number, reason: string): void {
    if (this.socket.readyState === WebSocket.CLOSED) return;
    this.socket.close(code, reason);
    setTimeout(() => this.socket.terminate(), 2000).unref();
  }

  /**
   * Runs sends one after another, in the order the client sent them: frames on one socket
   * arrive in order (TCP), so they are stored in that order too.
   */
  inOrder<T>(task: () => Promise<T>): Promise<T> {
    const result = this.sends.then(task, task);
    this.sends = result.catch(() => {});
    return result;
  }

  /** Counts one incoming frame; false when the client exceeds its frames-per-second budget. */
  admitFrame(now = Date.now()): boolean {
    if (this.limits.framesPerSecond === null) return true;
    if (now - this.windowStartedAt >= 1000) {
      this.windowStartedAt = now;
      this.framesInWindow = 0;
    }
    this.framesInWindow += 1;
    return this.framesInWindow <= this.limits.framesPerSecond;
  }
}
