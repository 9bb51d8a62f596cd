import { Type } from 'typebox';
import { User } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const usersRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['users'];

  app.get('/users/me', { schema: { tags, summary: 'The caller', response: responses({ 200: User }) } }, async (request) => principalOf(request).user);

  app.get(
    '/users/:id',
    { schema: { tags, summary: 'A user by id', params: schemas.UserParams, response: responses({ 200: User }) } },
    async (request) => services.accounts.getUser(request.params.id),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'Find a user by exact username, ignoring case',
        querystring: schemas.FindUsersQuery,
        response: responses({ 200: Type.Object({ users: Type.Array(User) }) }),
      },
    },
    async (request) => ({ users: await services.accounts.findByUsername(request.query.username) }),
  );
};
