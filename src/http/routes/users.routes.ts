import { Type } from 'typebox';
import { User } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { bearer, responses } from '../responses.js';
import type { RouteContext, TypedApp } from '../route-context.js';

const UserWithToken = Type.Object({ user: User, token: Type.String() });

export function usersRoutes(app: TypedApp, { services, schemas, auth }: RouteContext): void {
  app.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Sign up', body: schemas.Credentials, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => {
      const result = await services.accounts.register(request.body.username, request.body.password, request.ip);
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/users/me',
    { onRequest: auth, schema: { tags: ['users'], summary: 'The caller', security: bearer, response: responses({ 200: User }) } },
    async (request) => principalOf(request).user,
  );

  app.get(
    '/users/:id',
    { onRequest: auth, schema: { tags: ['users'], summary: 'A user by id', security: bearer, params: schemas.UserParams, response: responses({ 200: User }) } },
    async (request) => services.accounts.getUser(request.params.id.toLowerCase()),
  );

  app.get(
    '/users',
    {
      onRequest: auth,
      schema: {
        tags: ['users'],
        summary: 'Find a user by exact username, ignoring case',
        security: bearer,
        querystring: schemas.FindUsersQuery,
        response: responses({ 200: Type.Object({ users: Type.Array(User) }) }),
      },
    },
    async (request) => ({ users: await services.accounts.findByUsername(request.query.username) }),
  );
}
