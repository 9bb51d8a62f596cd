import { ConversationPins } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Pins (docs/API.md, "Pins"). PUT and DELETE are idempotent and answer 204 whether or not they
 * changed anything; only a change is logged and announced. Who may pin: conversation.policy.ts.
 */
export const pinsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['pins'];

  app.put(
    '/conversations/:id/pins/:message_id',
    {
      schema: {
        tags,
        summary: 'Pin a message of the conversation (any member; at most 50 pins); idempotent',
        params: schemas.PinParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.pins.pin(principalOf(request).user.id, request.params.id, request.params.message_id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/conversations/:id/pins/:message_id',
    {
      schema: {
        tags,
        summary: 'Unpin a message (any member, whoever pinned it); idempotent',
        params: schemas.PinParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.pins.unpin(principalOf(request).user.id, request.params.id, request.params.message_id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/conversations/:id/pins',
    {
      schema: {
        tags,
        summary: "The conversation's pinned messages, newest pin first",
        params: schemas.ConversationParams,
        response: responses({ 200: ConversationPins }),
      },
    },
    async (request) => ({ pins: await services.pins.list(principalOf(request).user.id, request.params.id) }),
  );
};
