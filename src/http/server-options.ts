/**
 * How the HTTP server itself treats clients: Fastify's options (timeouts, body limit, proxy trust,
 * answers to requests refused before routing) and the hardening around Node's server (its own
 * refusals, the per-IP connection cap). Every response it sends, even for bytes that are not
 * HTTP, is problem+json with a `code` and the security headers.
 */
import { randomUUID } from 'node:crypto';
import { LogController, type FastifyHttpOptions, type FastifyInstance, type FastifyReply } from 'fastify';
import type { Server } from 'node:http';
import type { Config } from '../config/config.js';
import type { ServerMetrics } from '../observability/metrics.js';
import { lazyRequestLogger } from '../observability/request-logger.js';
import type { ClientErrors } from './client-errors.js';
import { capConnectionsPerIp } from './connection-cap.js';
import { answerNodeRefusals } from './node-refusals.js';
import { SECURITY_HEADERS } from './plugins/security-headers.js';
import { toProblem } from './problem.js';

export function serverOptions(config: Config, clientErrors: ClientErrors): FastifyHttpOptions<Server> {
  return {
    bodyLimit: config.BODY_MAX_BYTES,
    trustProxy: config.TRUST_PROXY,
    // Per-request info lines would cost more than a send on the hot path; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
    // So a request that logs nothing (most, at the default level) costs no child logger.
    childLoggerFactory: lazyRequestLogger,
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // Headers must arrive in time (Node checks open requests every interval); bodies are timed
    // by body-deadlines.ts, since an upload may take longer than any other request. A socket
    // upgraded to a WebSocket is no longer an HTTP request and is not cut.
    requestTimeout: 0,
    http: {
      requestTimeout: 0,
      headersTimeout: config.HTTP_REQUEST_TIMEOUT_MS,
      connectionsCheckingInterval: Math.min(1000, config.HTTP_REQUEST_TIMEOUT_MS),
      // Refused in plugins/allowed-hosts.ts instead, as problem+json with the security headers.
      requireHostHeader: false,
    },
    // Requests Node refuses before Fastify sees them (unparseable, headers too large, too slow).
    clientErrorHandler: function (this: FastifyInstance, error, socket) {
      clientErrors.handle(error, socket, this.log);
    },
    // Refused before routing (e.g. bad percent-encoding in the path): problem+json like every other error.
    frameworkErrors: (error, request, reply) => {
      const { problem: body } = toProblem(error, request.id);
      // Sent before any hook runs, so the security headers are set here.
      void (reply as FastifyReply).headers(SECURITY_HEADERS).code(body.status).type('application/problem+json').send(body);
    },
  };
}

/** Node's own refusals as problem+json, and the cap on concurrent connections from one address. */
export function hardenServer(app: FastifyInstance, config: Config, metrics: ServerMetrics): void {
  answerNodeRefusals(app.server);
  // Behind a proxy every connection comes from the proxy: capping it by address would cap the service.
  if (config.RATE_LIMITS && !config.TRUST_PROXY) {
    capConnectionsPerIp(app.server, {
      maxPerIp: config.HTTP_MAX_CONNECTIONS_PER_IP,
      onRefused: (socket) => {
        metrics.httpConnectionsRefused.inc();
        app.log.debug({ remoteAddress: socket.remoteAddress }, 'connection refused: too many from this address');
      },
    });
  }
}
