import {
  CreatedWebhook,
  CreateWebhook,
  UpdateWebhook,
  Webhook,
  WebhookDelivery,
  WebhookDeliveryList,
  WebhookDeliveryParams,
  WebhookDeliveryQuery,
  WebhookList,
  WebhookParams,
} from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Outgoing webhooks (docs/API.md, "Outgoing webhooks"): subscribe a URL to a conversation's or
 * a bot's events, manage it, read its delivery log and ask for a redelivery. Every route is the
 * webhook owner's alone; another user's webhook is a 404.
 */
export const webhooksRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['webhooks'];
  const callerOf = (request: Parameters<typeof principalOf>[0]) => principalOf(request).user.id;

  app.post(
    '/webhooks',
    {
      schema: {
        tags,
        summary: 'Subscribe a URL to event types of a conversation you own or of a bot you own; the signing secret is in this answer only',
        body: CreateWebhook,
        response: responses({ 201: CreatedWebhook }),
      },
    },
    async (request, reply) => reply.code(201).send(await services.webhooks.create(principalOf(request), request.body)),
  );

  app.get(
    '/webhooks',
    { schema: { tags, summary: 'Your webhooks, oldest first (never their secrets)', response: responses({ 200: WebhookList }) } },
    async (request) => ({ webhooks: await services.webhooks.list(callerOf(request)) }),
  );

  app.get(
    '/webhooks/:id',
    { schema: { tags, summary: 'One of your webhooks: whether it is enabled, failing, or disabled and why', params: WebhookParams, response: responses({ 200: Webhook }) } },
    async (request) => services.webhooks.get(callerOf(request), request.params.id),
  );

  app.patch(
    '/webhooks/:id',
    {
      schema: {
        tags,
        summary: 'Change its URL, event types or description, or disable it; enabled: true re-enables it and retries at once',
        params: WebhookParams,
        body: UpdateWebhook,
        response: responses({ 200: Webhook }),
      },
    },
    async (request) => services.webhooks.update(callerOf(request), request.params.id, request.body),
  );

  app.delete(
    '/webhooks/:id',
    { schema: { tags, summary: 'Delete the webhook, its queue and its log', params: WebhookParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.webhooks.remove(callerOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/webhooks/:id/rotate-secret',
    {
      schema: {
        tags,
        summary: 'A new signing secret, shown in this answer only; the old one signs beside it for WEBHOOK_SECRET_OVERLAP_SECONDS',
        params: WebhookParams,
        response: responses({ 200: CreatedWebhook }),
      },
    },
    async (request) => services.webhooks.rotateSecret(callerOf(request), request.params.id),
  );

  app.get(
    '/webhooks/:id/deliveries',
    {
      schema: {
        tags,
        summary: 'The delivery log, newest first: status, attempts, last status code and latency of each event tried',
        params: WebhookParams,
        querystring: WebhookDeliveryQuery,
        response: responses({ 200: WebhookDeliveryList }),
      },
    },
    async (request) => services.webhooks.deliveries(callerOf(request), request.params.id, { limit: request.query.limit ?? 50, before: request.query.before, status: request.query.status }),
  );

  app.post(
    '/webhooks/:id/deliveries/:delivery_id/redeliver',
    {
      schema: {
        tags,
        summary: 'Send a logged delivery again, with the same webhook-id (a retrying one is tried now, in order)',
        params: WebhookDeliveryParams,
        response: responses({ 202: WebhookDelivery }),
      },
    },
    async (request, reply) => reply.code(202).send(await services.webhooks.redeliver(callerOf(request), request.params.id, request.params.delivery_id)),
  );
};
