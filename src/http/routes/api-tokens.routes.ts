import { ApiTokenInput, ApiTokenList, ApiTokenParams, CreatedApiToken } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/** API tokens (docs/API.md, "API tokens and scopes"): create one (its secret shown once), list, revoke. */
export const apiTokensRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['tokens'];

  app.post(
    '/tokens',
    {
      schema: {
        tags,
        summary: 'Create an API token with scopes you hold and an optional expiry; the secret is in this answer only',
        body: ApiTokenInput,
        response: responses({ 201: CreatedApiToken }),
      },
    },
    async (request, reply) => reply.code(201).send(await services.apiTokens.create(principalOf(request), request.body)),
  );

  app.get(
    '/tokens',
    { schema: { tags, summary: 'Your API tokens that have not expired, newest first (never their secrets)', response: responses({ 200: ApiTokenList }) } },
    async (request) => ({ tokens: await services.apiTokens.list(principalOf(request).user.id) }),
  );

  app.delete(
    '/tokens/:id',
    {
      schema: {
        tags,
        summary: 'Revoke one of your API tokens: it stops working at once and its sockets close with 4401 (404 for any other id)',
        params: ApiTokenParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.apiTokens.revoke(principalOf(request).user.id, request.params.id);
      return reply.code(204).send();
    },
  );
};
