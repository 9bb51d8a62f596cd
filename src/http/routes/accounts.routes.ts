/**
 * Sign-up and log-in: the two routes that hand out tokens, so the two that need none; and what
 * the sign-up and log-in screens should offer (docs/API.md, "Registration and invites").
 */
import { Type } from 'typebox';
import { LoginOptions, User } from '@pneumatic/protocol';
import type { FastifyRequest } from 'fastify';
import type { ClientInfo } from '../../domain/sessions/session-use-recorder.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const UserWithToken = Type.Object({ user: User, token: Type.String() });

const clientOf = (request: FastifyRequest): ClientInfo => ({ user_agent: request.headers['user-agent'], ip: request.ip });

export const accountsRoutes: RoutePlugin = async (app, { services, schemas, config }) => {
  app.post(
    '/users',
    { schema: { tags: ['users'], summary: 'Sign up (with REGISTRATION=invite, with an invite code)', body: schemas.SignUp, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => {
      const { username, password, invite } = request.body;
      return reply.code(201).send(await services.accounts.register(username, password, request.ip, clientOf(request), invite));
    },
  );

  app.post(
    '/sessions',
    { schema: { tags: ['sessions'], summary: 'Log in', body: schemas.Credentials, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => reply.code(201).send(await services.accounts.login(request.body.username, request.body.password, request.ip, clientOf(request))),
  );

  app.get(
    '/login-options',
    { schema: { tags: ['sessions'], summary: 'What the sign-up and log-in screens should offer', response: responses({ 200: LoginOptions }) } },
    async () => ({ registration: config.REGISTRATION, password_login: config.PASSWORD_LOGIN, providers: services.sso.providers() }),
  );
};
