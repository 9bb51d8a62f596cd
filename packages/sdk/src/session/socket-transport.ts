/**
 * Outbox delivery over the live socket: a `message` frame, settled by the `ack` or `error`
 * frame that names its message_id. A socket lost before the ack, or an ack that never comes,
 * is a retryable `network` error: the outbox resends the same message_id after reconnecting.
 */
import { PneumaticError } from '../errors.js';
import { sendFieldsOf, type OutboxEntry } from '../outbox-store.js';
import type { OutboxTransport } from '../outbox.js';
import type { FrameOf, Message } from '../types.js';
import type { Connection } from './connection.js';

interface InFlight {
  resolve: (message: Message) => void;
  reject: (error: PneumaticError) => void;
}

export class SocketTransport implements OutboxTransport {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly openWaiters = new Set<() => void>();
  private disposed = false;
  private readonly offs: Array<() => void>;

  constructor(
    private readonly connection: Connection,
    /** Resend when no ack arrives within this long, ms. */
    private readonly ackTimeoutMs: number,
  ) {
    this.offs = [
      connection.on('open', () => this.wakeOpenWaiters()),
      connection.on('state', ({ state }) => {
        if (state !== 'open') this.failAll(lost('the connection closed before the ack'));
        if (state === 'closed') this.wakeOpenWaiters();
      }),
    ];
  }

  deliver(entry: OutboxEntry): Promise<Message> {
    return this.whenOpen().then(
      () =>
        new Promise<Message>((resolve, reject) => {
          const timer = setTimeout(() => settle(lost(`no ack within ${this.ackTimeoutMs} ms`)), this.ackTimeoutMs);
          const settle = (error: PneumaticError | null, message?: Message) => {
            clearTimeout(timer);
            if (this.inFlight.get(entry.message_id) === handlers) this.inFlight.delete(entry.message_id);
            if (error) reject(error);
            else resolve(message as Message);
          };
          const handlers: InFlight = { resolve: (m) => settle(null, m), reject: (e) => settle(e) };
          this.inFlight.get(entry.message_id)?.reject(lost('superseded by a resend'));
          this.inFlight.set(entry.message_id, handlers);
          const sent = this.connection.send({ type: 'message', ...sendFieldsOf(entry) });
          if (!sent) settle(lost('the socket is not open'));
        }),
    );
  }

  /** Routes `ack` and message-related `error` frames; true when the frame was an outbox reply. */
  handleFrame(frame: FrameOf<'ack'> | FrameOf<'error'>): boolean {
    const id = frame.type === 'ack' ? frame.message_id : frame.ref;
    const waiting = id ? this.inFlight.get(id) : undefined;
    if (!waiting) return false;
    if (frame.type === 'ack') waiting.resolve(frame.message);
    else {
      // retry_after (seconds, on unavailable and rate_limited) paces the outbox's resend, as Retry-After does over HTTP.
      const retryAfterMs = frame.retry_after === undefined ? null : frame.retry_after * 1000;
      waiting.reject(new PneumaticError(frame.code, frame.detail, null, retryAfterMs, { errors: frame.errors }));
    }
    return true;
  }

  /** Fails every in-flight send as retryable so the outbox moves to its next transport. */
  dispose(): void {
    this.disposed = true;
    for (const off of this.offs) off();
    this.failAll(lost('the session was closed'));
    this.wakeOpenWaiters();
  }

  private whenOpen(): Promise<void> {
    if (this.disposed || this.connection.state === 'closed') return Promise.reject(closed());
    if (this.connection.isOpen) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        this.openWaiters.delete(wake);
        if (this.connection.isOpen) resolve();
        else reject(closed());
      };
      this.openWaiters.add(wake);
    });
  }

  private wakeOpenWaiters(): void {
    for (const wake of [...this.openWaiters]) wake();
  }

  private failAll(error: PneumaticError): void {
    for (const waiting of [...this.inFlight.values()]) waiting.reject(error);
    this.inFlight.clear();
  }
}

function lost(why: string): PneumaticError {
  return new PneumaticError('network', `Not acknowledged: ${why}; resending with the same message_id.`, null, 0);
}

function closed(): PneumaticError {
  return new PneumaticError('closed', 'The session is closed; the send stays in the outbox.');
}
