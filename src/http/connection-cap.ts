/**
 * HTTP_MAX_CONNECTIONS_PER_IP: how many connections one client address may hold open while they
 * speak HTTP. The check sits in front of Node's HTTP connection listener, so a connection over
 * the cap never reaches the HTTP parser and none of its bytes is read as a request: it is
 * answered 429 problem+json and closed. A socket upgraded to a WebSocket leaves the count; from
 * then on WS_MAX_CONNECTIONS_PER_IP caps it.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { rawProblemResponse } from './raw-problem-response.js';

export interface ConnectionCapOptions {
  maxPerIp: number;
  /** Called for each connection refused, after its answer is queued. */
  onRefused(socket: Socket): void;
}

/** How long a refused connection may take to read its answer and close before it is cut. */
const REFUSED_LINGER_MS = 2000;
const RETRY_AFTER_SECONDS = 5;

export function capConnectionsPerIp(server: Server, options: ConnectionCapOptions): void {
  const open = new Map<string, number>();
  // The address is kept because a closed socket no longer reports it.
  const counted = new WeakMap<Duplex, string>();
  const release = (socket: Duplex) => {
    const ip = counted.get(socket);
    if (ip === undefined) return;
    counted.delete(socket);
    const left = (open.get(ip) ?? 1) - 1;
    if (left <= 0) open.delete(ip);
    else open.set(ip, left);
  };
  // One listener for every socket, removed at the upgrade: a closure per socket would stay on
  // each WebSocket's TCP socket for its whole life, memory on every idle connection.
  function releaseOnClose(this: Duplex): void {
    release(this);
  }

  // Node's own listener attaches the HTTP parser; only admitted connections reach it.
  const httpListeners = server.listeners('connection') as ((socket: Socket) => void)[];
  server.removeAllListeners('connection');
  server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress;
    if (ip !== undefined) {
      const count = open.get(ip) ?? 0;
      if (count >= options.maxPerIp) {
        refuse(socket);
        options.onRefused(socket);
        return;
      }
      open.set(ip, count + 1);
      counted.set(socket, ip);
      socket.on('close', releaseOnClose);
    }
    for (const listener of httpListeners) listener.call(server, socket);
  });
  // The WebSocket gateway listens for upgrades too, so Node keeps emitting them.
  server.prependListener('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    socket.off('close', releaseOnClose);
    release(socket);
  });
}

function refuse(socket: Socket): void {
  socket.on('error', () => {});
  const cut = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
  socket.once('close', () => clearTimeout(cut));
  socket.end(
    rawProblemResponse('rate_limited', 'Too many open connections from this address; close some, or retry shortly.', { 'retry-after': String(RETRY_AFTER_SECONDS) }),
  );
  // Read and drop whatever the client sends: closing with unread bytes would reset the
  // connection, and the client could lose the answer.
  socket.resume();
}
