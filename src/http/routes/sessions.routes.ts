import { Type } from 'typebox';
import { SessionList, Uuid } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Logging out; logging in is in accounts.routes.ts, as it needs no token. Both routes revoke the
 * caller's token, or with `?all=true` every token of the user: `all=true` is honoured on
 * `/sessions/current` too (an addition to API.md), so asking to log out everywhere never quietly
 * revokes just the one token. The revoked tokens' sockets close with 4401.
 */
const LOGOUT_ROUTES = {
  '/sessions/current': 'Log out: the token stops working, its sockets close with 4401 (all=true: as DELETE /sessions?all=true)',
  '/sessions': 'Log out everywhere (all=true): every token of the user stops working',
} as const;

export const sessionsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  for (const [url, summary] of Object.entries(LOGOUT_ROUTES)) {
    app.delete(url, { schema: { tags: ['sessions'], summary, querystring: schemas.LogoutQuery, response: responses({ 204: NoContent }) } }, async (request, reply) => {
      await services.accounts.logout(principalOf(request), request.query.all === true);
      return reply.code(204).send();
    });
  }

  // docs/API.md, "Password and sessions". The static /sessions/current above wins over :id.
  app.get('/sessions', { schema: { tags: ['sessions'], summary: 'Where you are logged in: your login sessions, most recently used first', response: responses({ 200: SessionList }) } }, async (request) => ({
    sessions: await services.sessions.list(principalOf(request)),
  }));

  app.delete(
    '/sessions/:id',
    { schema: { tags: ['sessions'], summary: 'Log one of your sessions out: it stops working, its sockets close with 4401', params: Type.Object({ id: Uuid }), response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.sessions.revoke(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
