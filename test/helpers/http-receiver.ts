/**
 * A real HTTP server on loopback standing in for a webhook receiver or push service, counting
 * the connections it accepts and the requests it sees, so a test can tell that a refused
 * request never reached it.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export interface Receiver {
  readonly port: number;
  /** http://127.0.0.1:PORT (or https://), no trailing slash. */
  readonly origin: string;
  /** Connections accepted so far. */
  connections: number;
  /** Connections open now. */
  readonly open: Set<Socket>;
  /** Requests whose headers arrived. */
  requests: number;
  close(): Promise<void>;
}

export interface ReceiverOptions {
  /** Listen address; '::' (the default) takes IPv4 and IPv6 loopback alike. */
  readonly host?: string;
  /** Serve https with this certificate and key. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export async function startReceiver(handler: http.RequestListener, options: ReceiverOptions = {}): Promise<Receiver> {
  const server = options.tls === undefined ? http.createServer(handler) : https.createServer({ ...options.tls }, handler);
  const open = new Set<Socket>();
  const receiver = {
    port: 0,
    origin: '',
    connections: 0,
    open,
    requests: 0,
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  // TCP connections, TLS or not: a refused request must not even open one.
  server.on('connection', (socket: Socket) => {
    receiver.connections += 1;
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  server.on('request', () => {
    receiver.requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, options.host ?? '::', resolve));
  receiver.port = (server.address() as AddressInfo).port;
  receiver.origin = `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${receiver.port}`;
  return receiver;
}

/** Resolves once `condition` holds, polling every few milliseconds; fails after `timeoutMs`. */
export async function until(condition: () => boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
