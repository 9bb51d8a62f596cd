import type { FastifyInstance } from 'fastify';
import type { ClientErrors } from '../client-errors.js';
import { problem, toProblem } from '../problem.js';

/** Every error and unknown route answers problem+json. */
export function registerErrorHandling(app: FastifyInstance, clientErrors: ClientErrors): void {
  app.setErrorHandler((error, request, reply) => {
    // The client went away mid-request (or was cut off for being too slow): its body reader's
    // error is the client's doing, counted and logged at debug; the answer goes nowhere.
    if (clientErrors.abandoned(request)) {
      void reply.code(400).type('application/problem+json').send(problem('invalid_request', 'The request was not complete when its connection closed.'));
      return;
    }
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
