/**
 * A problem+json answer written straight to a TCP socket, for the refusals that happen below
 * Fastify (a request Node's HTTP parser refused, a request timeout, a connection over its
 * client's cap): the same body and security headers as every other refusal, and
 * `Connection: close`, because the server closes the connection after it.
 */
import { STATUS_CODES } from 'node:http';
import type { ErrorCode } from '@pneumatic/protocol';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { problem } from './problem.js';

export function rawProblemResponse(code: ErrorCode, detail: string, extraHeaders: Record<string, string> = {}): string {
  const details = problem(code, detail);
  const body = JSON.stringify(details);
  const headers: Record<string, string> = {
    ...SECURITY_HEADERS,
    ...extraHeaders,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    // RFC 9110 §6.6.1: an origin server with a clock sends Date.
    date: new Date().toUTCString(),
    connection: 'close',
  };
  const head = [`HTTP/1.1 ${details.status} ${STATUS_CODES[details.status] ?? ''}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}
