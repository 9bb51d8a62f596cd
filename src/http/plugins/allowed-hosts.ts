import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config/config.js';
import { AppError } from '../../domain/errors.js';
import { createHostPolicy, type HostPolicy } from '../host-policy.js';

/**
 * Refuses, before anything else runs, a request whose Host names a host this server does not
 * answer to (421 Misdirected Request, RFC 9110 §15.5.20, code `host_not_allowed`): the shape of
 * a DNS-rebinding attack on a server bound to loopback. Socket upgrades pass through here too.
 */
export function registerAllowedHosts(app: FastifyInstance, config: Config): HostPolicy {
  const policy = createHostPolicy(config);
  if (!policy.restricted) {
    app.log.warn(`HOST=${config.HOST} with neither PUBLIC_URL nor ALLOWED_HOSTS: every Host name is accepted; set PUBLIC_URL to the address browsers use`);
  }
  app.addHook('onRequest', async (request, reply) => {
    if (!policy.isAllowed(request.headers.host)) {
      // A refused upgrade's socket belongs to no HTTP server connection, and this hook runs before
      // the WebSocket plugin's own one would close it after the reply: close it here, once sent.
      if ((request.raw as { upgrade?: boolean }).upgrade === true) reply.raw.once('finish', () => request.raw.socket.destroy());
      throw new AppError('host_not_allowed', 'This server does not answer to the host named in the Host header; see PUBLIC_URL and ALLOWED_HOSTS.');
    }
  });
  return policy;
}
