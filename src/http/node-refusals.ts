/**
 * Requests Node's HTTP server would refuse by itself, with a bare status and none of our headers,
 * unless someone listens for them. Each is answered here as problem+json with the security
 * headers, like every other refusal, and its connection closed. (A missing Host is refused in
 * plugins/allowed-hosts.ts, with Node's own check turned off in app.ts.)
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { problem } from './problem.js';
import { rawProblemResponse } from './raw-problem-response.js';

export function answerNodeRefusals(server: Server): void {
  // RFC 9110 §10.1.1: a server may refuse an expectation other than 100-continue with 417.
  server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify(problem('invalid_request', 'The only expectation this server meets is "Expect: 100-continue".', { status: 417 }));
    response.writeHead(417, {
      ...SECURITY_HEADERS,
      'content-type': 'application/problem+json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    });
    response.end(body);
  });
  // CONNECT asks for a tunnel; this is no proxy. Node hands over the raw socket.
  server.on('connect', (_request: IncomingMessage, socket: Duplex) => {
    (socket as Socket).on('error', () => {});
    socket.end(rawProblemResponse('method_not_allowed', 'CONNECT is not supported: this server is not a proxy.'));
    (socket as Socket).destroySoon();
  });
}
