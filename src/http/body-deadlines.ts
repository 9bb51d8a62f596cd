/**
 * How long a client may take to send a request body. Node's own `requestTimeout` covers every
 * request of a server alike, and a large upload may rightly take minutes, so Node checks only
 * the headers (HTTP_REQUEST_TIMEOUT_MS, `headersTimeout`) and the body's time is kept here:
 *
 * - an upload (POST /uploads) may take as long as it keeps sending: a socket silent for
 *   UPLOAD_IDLE_TIMEOUT_MS is answered 408 and closed (the upload service then keeps nothing);
 * - any other body must be complete within HTTP_REQUEST_TIMEOUT_MS of its headers, or it is
 *   answered 408 and its connection closed, as Node would.
 *
 * Only requests that announce a body arm a timer: the GETs of the hot path cost nothing.
 */
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { ClientErrors } from './client-errors.js';

export interface BodyDeadlineOptions {
  requestTimeoutMs: number;
  uploadIdleTimeoutMs: number;
  /** Whether the request is an upload (judged by method and path, before routing). */
  isUpload(method: string, url: string): boolean;
}

function announcesBody(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length'];
  return (length !== undefined && length !== '0') || raw.headers['transfer-encoding'] !== undefined;
}

export function registerBodyDeadlines(app: FastifyInstance, clientErrors: ClientErrors, options: BodyDeadlineOptions): void {
  app.addHook('onRequest', (request, reply, done) => {
    const raw = request.raw;
    if (raw.complete || !announcesBody(raw)) return done();
    const timedOut = () => clientErrors.timedOut(raw.socket, request.log, options.isUpload(raw.method ?? '', raw.url ?? '') ? options.uploadIdleTimeoutMs : options.requestTimeoutMs);
    if (options.isUpload(raw.method ?? '', raw.url ?? '')) {
      // Silence of the client: each chunk it sends restarts the wait. (Not socket.setTimeout:
      // Node's server destroys a socket whose timeout nobody claims, even mid-answer.)
      const socket = raw.socket;
      let timer = setTimeout(idle, options.uploadIdleTimeoutMs);
      function idle() {
        if (!raw.complete) timedOut();
      }
      const onData = () => {
        clearTimeout(timer);
        timer = setTimeout(idle, options.uploadIdleTimeoutMs);
      };
      socket.on('data', onData);
      const stop = () => {
        clearTimeout(timer);
        socket.off('data', onData);
      };
      raw.once('end', stop);
      raw.once('close', stop);
    } else {
      const timer = setTimeout(() => {
        if (!raw.complete) timedOut();
      }, options.requestTimeoutMs);
      const clear = () => clearTimeout(timer);
      raw.once('end', clear);
      raw.once('close', clear);
    }
    done();
  });
}
