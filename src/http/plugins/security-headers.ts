import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import helmet from 'helmet';

/**
 * The security headers every response carries, as helmet computes them for an API (no inline
 * content; the web app's route sets its own CSP). Computed once at startup: helmet's Fastify
 * plugin rebuilds the middleware on every request, which cost a send's worth of allocations
 * per request and per socket upgrade.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = computeHeaders();

function computeHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown;
  const middleware = helmet({ contentSecurityPolicy: { useDefaults: true, directives: { upgradeInsecureRequests: null } }, crossOriginEmbedderPolicy: false });
  // Helmet's values depend on its options only, never on the request.
  middleware({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    failure = error;
  });
  if (failure) throw failure;
  return headers;
}

const NAMES = Object.keys(SECURITY_HEADERS);
const VALUES = Object.values(SECURITY_HEADERS);

/**
 * Adds the headers to every reply as it is sent (errors and refused upgrades included), unless
 * the route set its own (the web app's CSP). On send rather than on request: an accepted socket
 * upgrade sends no HTTP reply, so it skips the work.
 */
export function registerSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', (_request, reply, payload, done) => {
    // An indexed loop over two arrays: no iterator or entry array per header per request.
    for (let i = 0; i < NAMES.length; i++) if (!reply.hasHeader(NAMES[i]!)) void reply.header(NAMES[i]!, VALUES[i]!);
    done(null, payload);
  });
}
