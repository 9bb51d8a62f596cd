import { CreatedIncomingWebhook, IncomingWebhookList, IncomingWebhookParams } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Managing a conversation's incoming webhooks (docs/API.md, "Incoming webhooks"); posting to one
 * is incoming-post.routes.ts, which needs no token (the URL is the secret).
 */
export const incomingWebhooksRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['incoming webhooks'];

  app.post(
    '/conversations/:id/incoming-webhooks',
    {
      schema: {
        tags,
        summary: 'Make a secret URL that posts into this conversation as a new bot you own (added as a member); the URL is in this answer only',
        params: schemas.ConversationParams,
        body: schemas.CreateIncomingWebhook,
        response: responses({ 201: CreatedIncomingWebhook }),
      },
    },
    async (request, reply) => {
      const { webhook, secret } = await services.incomingWebhooks.create(principalOf(request), request.params.id, request.body.username);
      return reply.code(201).send({ webhook, secret, url: `${request.protocol}://${request.host}/hooks/${secret}` });
    },
  );

  app.get(
    '/conversations/:id/incoming-webhooks',
    { schema: { tags, summary: "The conversation's incoming webhooks, oldest first (never their URLs)", params: schemas.ConversationParams, response: responses({ 200: IncomingWebhookList }) } },
    async (request) => ({ webhooks: await services.incomingWebhooks.list(principalOf(request).user.id, request.params.id) }),
  );

  app.delete(
    '/conversations/:id/incoming-webhooks/:webhook_id',
    {
      schema: {
        tags,
        summary: 'Revoke an incoming webhook (its creator or an owner): its URL answers 404 from now on; its bot and messages stay',
        params: IncomingWebhookParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.incomingWebhooks.revoke(principalOf(request).user.id, request.params.id, request.params.webhook_id);
      return reply.code(204).send();
    },
  );
};
