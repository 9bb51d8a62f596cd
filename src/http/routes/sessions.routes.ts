import { Type } from 'typebox';
import { User } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { bearer, NoContent, responses } from '../responses.js';
import type { RouteContext, TypedApp } from '../route-context.js';

export function sessionsRoutes(app: TypedApp, { services, schemas, auth }: RouteContext): void {
  app.post(
    '/sessions',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Log in',
        body: schemas.Credentials,
        response: responses({ 201: Type.Object({ user: User, token: Type.String() }) }),
      },
    },
    async (request, reply) => {
      const result = await services.accounts.login(request.body.username, request.body.password, request.ip);
      return reply.code(201).send(result);
    },
  );

  // `?all=true` is honoured here too (an addition to API.md): asking to log out everywhere
  // must never quietly revoke just the one token.
  app.delete(
    '/sessions/current',
    {
      onRequest: auth,
      schema: {
        tags: ['sessions'],
        summary: 'Log out: the token stops working, its sockets close with 4401 (all=true: as DELETE /sessions?all=true)',
        security: bearer,
        querystring: schemas.LogoutQuery,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.accounts.logout(principalOf(request), request.query.all === true);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/sessions',
    {
      onRequest: auth,
      schema: {
        tags: ['sessions'],
        summary: 'Log out everywhere (all=true): every token of the user stops working',
        security: bearer,
        querystring: schemas.LogoutQuery,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.accounts.logout(principalOf(request), request.query.all === true);
      return reply.code(204).send();
    },
  );
}
