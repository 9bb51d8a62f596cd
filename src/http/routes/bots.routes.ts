import { ApiTokenInput, ApiTokenList, Bot, BotList, BotParams, BotTokenParams, CreatedApiToken } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/** Bots (docs/API.md, "Bots"): create one, list yours, and manage the API tokens it signs in with. */
export const botsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['bots'];

  app.post(
    '/bots',
    {
      schema: {
        tags,
        summary: 'Create a bot account you own: a user marked is_bot, with no password (give it API tokens)',
        body: schemas.CreateBot,
        response: responses({ 201: Bot }),
      },
    },
    async (request, reply) => reply.code(201).send(await services.bots.create(principalOf(request), request.body.username)),
  );

  app.get(
    '/bots',
    { schema: { tags, summary: 'The bots you own, oldest first', response: responses({ 200: BotList }) } },
    async (request) => ({ bots: await services.bots.list(principalOf(request).user.id) }),
  );

  app.post(
    '/bots/:id/tokens',
    {
      schema: {
        tags,
        summary: "Create an API token for your bot, with scopes you hold; the secret is in this answer only",
        params: BotParams,
        body: ApiTokenInput,
        response: responses({ 201: CreatedApiToken }),
      },
    },
    async (request, reply) => reply.code(201).send(await services.bots.createToken(principalOf(request), request.params.id, request.body)),
  );

  app.get(
    '/bots/:id/tokens',
    { schema: { tags, summary: "Your bot's API tokens that have not expired, newest first", params: BotParams, response: responses({ 200: ApiTokenList }) } },
    async (request) => ({ tokens: await services.bots.listTokens(principalOf(request).user.id, request.params.id) }),
  );

  app.delete(
    '/bots/:id/tokens/:token_id',
    {
      schema: {
        tags,
        summary: "Revoke one of your bot's API tokens: it stops working at once and its sockets close with 4401",
        params: BotTokenParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.bots.revokeToken(principalOf(request).user.id, request.params.id, request.params.token_id);
      return reply.code(204).send();
    },
  );
};
