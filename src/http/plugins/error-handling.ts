import type { FastifyInstance } from 'fastify';
import { problem, toProblem } from '../problem.js';

/** Every error and unknown route answers problem+json. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { problem: body, headers, serverFault } = toProblem(error, request.id);
    if (serverFault) request.log.error({ err: error }, 'request failed');
    else request.log.debug({ code: body.code }, 'request refused');
    void reply.code(body.status).headers(headers).type('application/problem+json').send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    void reply
      .code(404)
      .type('application/problem+json')
      .send(problem('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}
