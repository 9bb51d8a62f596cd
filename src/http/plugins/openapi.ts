import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';

/** The OpenAPI document at /openapi.json, built from the same schemas that validate requests. */
export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Pneumatic',
        version,
        description:
          'Real-time chat server. Errors are RFC 9457 problem+json with a stable `code`. ' +
          'Any write may answer 503 `unavailable` with Retry-After while the database cannot store anything (retry it). ' +
          'Live events: WebSocket at /ws (see the project README and API.md).',
      },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      tags: [
        { name: 'users' },
        { name: 'sessions' },
        { name: 'conversations' },
        { name: 'messages' },
        { name: 'operations' },
      ],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
