/**
 * `GET /limits`: the input limits this server enforces, so clients validate against what an
 * operator configured rather than against compiled-in defaults. Public: the sign-up form needs
 * them before there is a token.
 */
import { ServerLimits } from '@pneumatic/protocol';
import type { RoutePlugin } from '../route-context.js';

export const limitsRoutes: RoutePlugin = async (app, { limits }) => {
  app.get(
    '/limits',
    { schema: { tags: ['operations'], summary: 'The input limits this server enforces', response: { 200: ServerLimits } } },
    async () => limits,
  );
};
