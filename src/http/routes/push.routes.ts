import { PushSubscription, PushSubscriptionInput, PushSubscriptionList, PushSubscriptionParams, VapidPublicKey } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Web Push (docs/API.md, "Web Push"): the server's VAPID key and the caller's browser
 * subscriptions. Authenticated like every route but the account ones: nothing needs the key
 * before logging in, since subscribing does.
 */
export const pushRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['push'];

  app.get(
    '/push/vapid-public-key',
    {
      schema: {
        tags,
        summary: "The server's VAPID public key: pass it to pushManager.subscribe as applicationServerKey",
        response: responses({ 200: VapidPublicKey }),
      },
    },
    async () => ({ public_key: services.push.vapidPublicKey() }),
  );

  app.post(
    '/push/subscriptions',
    {
      schema: {
        tags,
        summary: "Register this browser's PushSubscription (its toJSON()); 200 with the same id when you had it already",
        body: PushSubscriptionInput,
        response: responses({ 200: PushSubscription, 201: PushSubscription }),
      },
    },
    async (request, reply) => {
      const { subscription, created } = await services.push.subscribe(principalOf(request).user.id, request.body);
      return reply.code(created ? 201 : 200).send(subscription);
    },
  );

  app.get(
    '/push/subscriptions',
    {
      schema: { tags, summary: 'Your push subscriptions, oldest first (never their keys)', response: responses({ 200: PushSubscriptionList }) },
    },
    async (request) => ({ subscriptions: await services.push.list(principalOf(request).user.id) }),
  );

  app.delete(
    '/push/subscriptions/:id',
    {
      schema: {
        tags,
        summary: 'Remove one of your push subscriptions and its pending pushes (404 for any other id)',
        params: PushSubscriptionParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.push.remove(principalOf(request).user.id, request.params.id);
      return reply.code(204).send();
    },
  );
};
