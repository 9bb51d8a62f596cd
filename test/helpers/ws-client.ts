/** A WebSocket test client with "wait for a frame matching" helpers and timeouts. */
import WebSocket from 'ws';

export type Frame = Record<string, any>;

export interface OpenOptions {
  token?: string;
  /** Send the token as ?token= instead of the Authorization header. */
  tokenInQuery?: boolean;
  path?: string;
  headers?: Record<string, string>;
}

export class TestSocket {
  readonly frames: Frame[] = [];
  private readonly waiters = new Set<() => void>();
  closed: { code: number; reason: string } | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Frame);
      for (const wake of this.waiters) wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters) wake();
    });
    ws.on('error', () => {});
  }

  /** Opens a socket; rejects with the HTTP status when the upgrade is refused. */
  static open(wsUrl: string, options: OpenOptions = {}): Promise<TestSocket> {
    const path = options.path ?? '/ws';
    const query = options.token && options.tokenInQuery ? `?token=${encodeURIComponent(options.token)}` : '';
    const headers: Record<string, string> = { ...options.headers };
    if (options.token && !options.tokenInQuery) headers.authorization = `Bearer ${options.token}`;
    const ws = new WebSocket(`${wsUrl}${path}${query}`, { headers });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => {
        reject(Object.assign(new Error(`upgrade refused with ${res.statusCode}`), { status: res.statusCode }));
        ws.terminate();
      });
      ws.once('error', reject);
    });
  }

  send(frame: Frame | string): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Resolves with the first frame (received at any time so far) matching `predicate`. */
  waitFor(predicate: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    return this.until(() => this.frames.find(predicate), timeoutMs, 'a matching frame');
  }

  /** Resolves once `count` frames match. */
  waitForCount(predicate: (frame: Frame) => boolean, count: number, timeoutMs = 10_000): Promise<Frame[]> {
    return this.until(
      () => {
        const matching = this.frames.filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      timeoutMs,
      `${count} matching frames`,
    );
  }

  waitForClose(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    return this.until(() => this.closed ?? undefined, timeoutMs, 'the socket to close');
  }

  /** Sends a frame and waits for the next frame matching `predicate` that arrives after it. */
  async request(frame: Frame, predicate: (frame: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
    const seen = this.frames.length;
    this.send(frame);
    return this.until(() => this.frames.slice(seen).find(predicate), timeoutMs, 'a reply');
  }

  /** Waits `ms` and fails if a matching frame arrived meanwhile. */
  async expectNone(predicate: (frame: Frame) => boolean, ms = 300): Promise<void> {
    const seen = this.frames.length;
    await new Promise((r) => setTimeout(r, ms));
    const found = this.frames.slice(seen).find(predicate);
    if (found) throw new Error(`unexpected frame: ${JSON.stringify(found)}`);
  }

  close(): void {
    this.ws.close();
  }

  private until<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const value = probe();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last frames: ${JSON.stringify(this.frames.slice(-5))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }
}

/** The HTTP status with which the upgrade was refused (fails if it was accepted). */
export async function upgradeStatus(wsUrl: string, options: OpenOptions = {}): Promise<number> {
  try {
    const socket = await TestSocket.open(wsUrl, options);
    socket.close();
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== undefined) return status;
    throw error;
  }
  throw new Error('the upgrade was accepted');
}

/** Opens sockets for a suite and remembers them, so one afterAll closes them all. */
export function socketPool(wsUrl: () => string) {
  const sockets: TestSocket[] = [];
  return {
    async open(user: { token: string }): Promise<TestSocket> {
      const socket = await TestSocket.open(wsUrl(), { token: user.token });
      sockets.push(socket);
      return socket;
    },
    closeAll(): void {
      for (const socket of sockets.splice(0)) socket.close();
    },
  };
}
