/**
 * Single sign-on with OpenID Connect (docs/API.md, "Single sign-on"): starting a log-in or a link,
 * the provider's callback, and trading the callback's login code for a session. Public routes:
 * starting a link authenticates itself (a token is optional here, required for `link`).
 */
import cookie from '@fastify/cookie';
import { Type } from 'typebox';
import { SSO_PROVIDER_ID_PATTERN, SsoAuthorization, SsoCallbackQuery, SsoLogin, StartSso, User } from '@pneumatic/protocol';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { BrowserContext } from '../../domain/sso/sso.service.js';
import { SSO_FLOW_SECONDS } from '../../domain/sso/sso.service.js';
import { bearerToken } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';
import { ssoErrorPage } from './sso-error-page.js';

/** The browser binding: set by the start, checked by the callback (a state carried elsewhere is refused). */
const BINDING_COOKIE = 'pneumatic_sso';
const COOKIE_PATH = '/auth/oidc';
const ProviderParams = Type.Object({ provider: Type.String({ pattern: SSO_PROVIDER_ID_PATTERN }) });
const UserWithToken = Type.Object({ user: User, token: Type.String() });

const browserOf = (request: FastifyRequest): BrowserContext => ({
  origin: `${request.protocol}://${request.host}`,
  ip: request.ip,
  client: { user_agent: request.headers['user-agent'], ip: request.ip },
});

export const ssoRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['sessions'];
  await app.register(cookie);

  app.post(
    '/auth/oidc/:provider/authorize',
    {
      schema: {
        tags,
        summary: 'Start a single sign-on: where to send the browser (link: true links the identity to the caller instead, with a token)',
        params: ProviderParams,
        body: StartSso,
        response: responses({ 200: SsoAuthorization }),
      },
    },
    async (request, reply) => {
      // Only a link is the caller's: a log-in ignores any token sent, as POST /sessions does.
      const token = request.body.link === true ? bearerToken(request.headers.authorization) : null;
      const principal = token ? await services.accounts.authenticate(token) : null;
      if (request.body.link === true && !principal) {
        void reply.header('www-authenticate', 'Bearer');
        throw new AppError('unauthorized', token ? 'The token is invalid, expired or revoked.' : 'Linking an identity needs your token: send Authorization: Bearer <token>.');
      }
      const browser = browserOf(request);
      const started = await services.sso.start(request.params.provider, request.body, principal, browser);
      void reply.setCookie(BINDING_COOKIE, started.binding, {
        path: COOKIE_PATH,
        httpOnly: true,
        sameSite: 'lax',
        secure: browser.origin.startsWith('https:'),
        maxAge: SSO_FLOW_SECONDS,
      });
      return { authorization_url: started.authorization_url };
    },
  );

  app.get(
    '/auth/oidc/:provider/callback',
    {
      schema: {
        tags,
        summary: 'Where the provider sends the browser back: 303 to the web app with a login code (#/sso/<code>), or a 4xx saying why not',
        params: ProviderParams,
        querystring: SsoCallbackQuery,
        response: responses({ 303: Type.Null({ description: 'to return_to#/sso/<login_code> (or #/sso-linked/<provider>)' }) }),
      },
    },
    async (request, reply) => {
      const binding = request.cookies[BINDING_COOKIE];
      // The binding has done its job whatever comes next.
      void reply.clearCookie(BINDING_COOKIE, { path: COOKIE_PATH });
      try {
        const location = await services.sso.finish(request.params.provider, request.query, new URL(request.url, 'http://callback.invalid'), binding);
        return await reply.code(303).header('location', location).header('cache-control', 'no-store').send();
      } catch (error) {
        if (error instanceof AppError && wantsHtml(request)) return reply.code(error.status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(ssoErrorPage(error));
        throw error;
      }
    },
  );

  app.post(
    '/sessions/sso',
    { schema: { tags, summary: 'Log in with the login code a single sign-on\'s callback handed over (once, within a minute)', body: SsoLogin, response: responses({ 201: UserWithToken }) } },
    async (request, reply) => reply.code(201).send(await services.sso.exchange(request.body.login_code, browserOf(request))),
  );
};

/** A person's browser gets a page; a program asking for JSON (or anything else) gets problem+json. */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}
