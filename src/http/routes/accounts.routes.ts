/** Sign-up and log-in: the two routes that hand out tokens, so the two that need none. */
import { Type } from 'typebox';
import { User } from '@pneumatic/protocol';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const UserWithToken = Type.Object({ user: User, token: Type.String() });

export const accountsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  app.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Sign up', body: schemas.Credentials, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => {
      const result = await services.accounts.register(request.body.username, request.body.password, request.ip);
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/sessions',
    { schema: { tags: ['sessions'], summary: 'Log in', body: schemas.Credentials, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => {
      const result = await services.accounts.login(request.body.username, request.body.password, request.ip);
      return reply.code(201).send(result);
    },
  );
};
