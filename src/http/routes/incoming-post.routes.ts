import { IncomingPostHeaders, IncomingPostParams, Message } from '@pneumatic/protocol';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * POST /hooks/{secret} (docs/API.md, "Incoming webhooks"): public, since the URL is the
 * credential; `{"content"}` is posted as the webhook's bot, once per Idempotency-Key. 201 for a
 * new message, 200 with the stored one for a repeated key, 404 for any URL that is not a live
 * webhook's.
 */
export const incomingPostRoutes: RoutePlugin = async (app, ctx) => {
  const { services, schemas, metrics } = ctx;
  app.post(
    '/hooks/:secret',
    {
      schema: {
        tags: ['incoming webhooks'],
        summary: "Post a message as the webhook's bot (no token: the URL is the secret); Idempotency-Key makes a retry safe",
        params: IncomingPostParams,
        headers: IncomingPostHeaders,
        body: schemas.IncomingPost,
        response: responses({ 200: Message, 201: Message }),
      },
    },
    async (request, reply) => {
      const key = request.headers['idempotency-key'];
      const { message, created } = await metrics.timeSend('http', () => services.incomingWebhooks.post(request.params.secret, request.body.content, typeof key === 'string' ? key : undefined));
      return reply.code(created ? 201 : 200).send(message);
    },
  );
};
