import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/** Logging out; logging in is in accounts.routes.ts, as it needs no token. */
export const sessionsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['sessions'];

  // `?all=true` is honoured here too (an addition to API.md): asking to log out everywhere
  // must never quietly revoke just the one token.
  app.delete(
    '/sessions/current',
    { schema: { tags, summary: 'Log out: the token stops working, its sockets close with 4401 (all=true: as DELETE /sessions?all=true)', querystring: schemas.LogoutQuery, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.accounts.logout(principalOf(request), request.query.all === true);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/sessions',
    {
      schema: {
        tags,
        summary: 'Log out everywhere (all=true): every token of the user stops working',
        querystring: schemas.LogoutQuery,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.accounts.logout(principalOf(request), request.query.all === true);
      return reply.code(204).send();
    },
  );
};
