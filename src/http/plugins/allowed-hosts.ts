import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import { createHostPolicy, type HostPolicy } from '../host-policy.js';

/**
 * Refuses, before anything else runs, a request whose Host names a host this server does not
 * answer to (421 Misdirected Request, RFC 9110 §15.5.20, code `host_not_allowed`): the shape of
 * a DNS-rebinding attack on a server bound to loopback. Socket upgrades pass through here too.
 * An HTTP/1.1 request with no Host at all is refused with 400 `invalid_request`.
 */
export function registerAllowedHosts(app: FastifyInstance, config: Config): HostPolicy {
  const policy = createHostPolicy(config);
  if (!policy.restricted) {
    app.log.warn(`HOST=${config.HOST} with neither PUBLIC_URL nor ALLOWED_HOSTS: every Host name is accepted; set PUBLIC_URL to the address browsers use`);
  }
  // A callback hook, not an async one: no promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    const host = request.headers.host;
    // RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400 (Node's own check, turned
    // off in app.ts, would answer with a bare 400 and none of the security headers).
    const missing = host === undefined && request.raw.httpVersion === '1.1';
    if (!missing && policy.isAllowed(host)) return done();
    // A refused upgrade's socket belongs to no HTTP server connection, and this hook runs before
    // the WebSocket plugin's own one would close it after the reply: close it here, once sent.
    if ((request.raw as { upgrade?: boolean }).upgrade === true) reply.raw.once('finish', () => request.raw.socket.destroy());
    if (missing) return done(new AppError('invalid_request', 'An HTTP/1.1 request needs a Host header.'));
    done(new AppError('host_not_allowed', 'This server does not answer to the host named in the Host header; see PUBLIC_URL and ALLOWED_HOSTS.'));
  });
  return policy;
}
