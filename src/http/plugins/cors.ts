import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';

/**
 * CORS for the origins in CORS_ORIGINS (exact match). Without any, the plugin would still run
 * its hook on every request (copying its options, resolving `origin: false`) only to add
 * nothing; its one visible effect, a catch-all OPTIONS route that answers 404 as if there were
 * no route, is kept as it is, so a preflight is answered (and counted in the metrics) the same.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length > 0) {
    await app.register(cors, { origin: [...origins], exposedHeaders: ['retry-after'] });
    return;
  }
  app.options('*', { schema: { hide: true } }, (_request, reply) => {
    reply.callNotFound();
  });
}
