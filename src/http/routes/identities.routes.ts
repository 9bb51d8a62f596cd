/**
 * The identities at single sign-on providers linked to the caller's account (docs/API.md,
 * "Single sign-on"). Linking starts at POST /auth/oidc/{provider}/authorize with `link: true`.
 */
import { LinkedIdentityList, SSO_PROVIDER_ID_PATTERN } from '@pneumatic/protocol';
import { Type } from 'typebox';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const identitiesRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['sessions'];

  app.get('/users/me/identities', { schema: { tags, summary: 'Your identities at single sign-on providers', response: responses({ 200: LinkedIdentityList }) } }, async (request) =>
    services.sso.identities(principalOf(request)),
  );

  app.delete(
    '/users/me/identities/:provider',
    {
      schema: {
        tags,
        summary: 'Unlink your identity at a provider (refused for the last way into an account without a password)',
        params: Type.Object({ provider: Type.String({ pattern: SSO_PROVIDER_ID_PATTERN }) }),
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.sso.unlink(principalOf(request), request.params.provider);
      return reply.code(204).send();
    },
  );
};
