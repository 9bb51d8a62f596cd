/**
 * Requests that never reach a route because the client broke them: HTTP that Node's parser
 * refuses, headers over its size limit, a request not complete within HTTP_REQUEST_TIMEOUT_MS,
 * a client that goes away mid-request. Where the connection still allows an answer it is
 * problem+json with the security headers, like every other refusal, and the connection is then
 * closed. Each is counted in pneumatic_http_client_errors_total and logged at debug, without a
 * stack: it is the client's doing, and anyone could otherwise flood the log with them.
 */
import type { Socket } from 'node:net';
import type { ErrorCode } from '@pneumatic/protocol';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { ServerMetrics } from '../observability/metrics.js';
import { rawProblemResponse } from './raw-problem-response.js';

export type ClientErrorReason = 'aborted' | 'timeout' | 'malformed' | 'headers_too_large';

interface Refusal {
  reason: ClientErrorReason;
  code: ErrorCode;
  detail: string;
}

/** By the error codes of Node's HTTP server and its parser (llhttp's HPE_*). */
function refusalFor(errorCode: string | undefined, timeoutMs: number): Refusal {
  switch (errorCode) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { reason: 'timeout', code: 'request_timeout', detail: `The request was not complete within ${timeoutMs} ms.` };
    case 'HPE_HEADER_OVERFLOW':
      return { reason: 'headers_too_large', code: 'headers_too_large', detail: 'The request line and headers are larger than the server accepts.' };
    // The connection ended in the middle of a request: the client gave up.
    case 'HPE_INVALID_EOF_STATE':
      return { reason: 'aborted', code: 'invalid_request', detail: 'The connection ended before the request was complete.' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { reason: 'malformed', code: 'payload_too_large', detail: 'The chunk extensions are larger than the server accepts.' };
    default:
      return { reason: 'malformed', code: 'invalid_request', detail: 'The request is not well-formed HTTP/1.1.' };
  }
}

/** Whether a response has begun on the socket: after its first byte, no other answer fits. */
function responseStarted(socket: Socket): boolean {
  return (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage?.headersSent === true;
}

export class ClientErrors {
  /** Sockets whose failure is already counted, so the abort that follows a refusal is not counted again. */
  private readonly counted = new WeakSet<Socket>();

  constructor(
    private readonly metrics: ServerMetrics,
    private readonly requestTimeoutMs: number,
  ) {}

  /** Fastify's clientErrorHandler, on Node's 'clientError' event: with a listener, Node leaves the answer and the close to it. */
  handle(error: Error & { code?: string }, socket: Socket, log: FastifyBaseLogger): void {
    // A reset connection is already gone: nothing to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) {
      this.count(socket, 'aborted', log, error.code);
      socket.destroy();
      return;
    }
    const refusal = refusalFor(error.code, this.requestTimeoutMs);
    this.count(socket, refusal.reason, log, error.code);
    // As Node's own handler: answer unless a response is already under way on this connection.
    if (socket.writable && !responseStarted(socket)) {
      socket.end(rawProblemResponse(refusal.code, refusal.detail));
      socket.destroySoon();
    } else {
      socket.destroy();
    }
  }

  /**
   * A request whose body did not arrive in time (body-deadlines.ts): counted as `timeout`,
   * answered 408 problem+json unless a response has begun, and its connection closed.
   */
  timedOut(socket: Socket, log: FastifyBaseLogger, timeoutMs: number): void {
    if (socket.destroyed) return;
    this.count(socket, 'timeout', log, 'ERR_HTTP_REQUEST_TIMEOUT');
    if (socket.writable && !responseStarted(socket)) {
      socket.end(rawProblemResponse('request_timeout', `The request was not complete within ${timeoutMs} ms.`));
      socket.destroySoon();
    } else {
      socket.destroy();
    }
  }

  /**
   * Whether the request's client went away (or was cut off) before sending all of it; the
   * error its body reader then raises is counted as `aborted` unless the cut was already counted.
   */
  abandoned(request: FastifyRequest): boolean {
    const raw = request.raw;
    if (!raw.destroyed || raw.complete) return false;
    this.count(raw.socket, 'aborted', request.log, undefined);
    return true;
  }

  private count(socket: Socket, reason: ClientErrorReason, log: FastifyBaseLogger, errorCode: string | undefined): void {
    if (this.counted.has(socket)) return;
    this.counted.add(socket);
    this.metrics.httpClientErrors.inc({ reason });
    log.debug({ reason, errorCode, remoteAddress: socket.remoteAddress }, 'client error');
  }
}
