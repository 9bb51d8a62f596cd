import { MessageReactions } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Reactions (docs/API.md, "Reactions"). PUT and DELETE are idempotent and answer 204 whether or
 * not they changed anything; only a change is logged and announced.
 */
export const reactionsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['reactions'];

  app.put(
    '/messages/:message_id/reactions/:emoji',
    {
      schema: {
        tags,
        summary: 'React to a message with one emoji (URL-encoded); idempotent',
        params: schemas.ReactionParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.reactions.add(principalOf(request).user.id, request.params.message_id, request.params.emoji);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/messages/:message_id/reactions/:emoji',
    {
      schema: {
        tags,
        summary: 'Take your reaction back; idempotent',
        params: schemas.ReactionParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.reactions.remove(principalOf(request).user.id, request.params.message_id, request.params.emoji);
      return reply.code(204).send();
    },
  );

  app.get(
    '/messages/:message_id/reactions',
    {
      schema: {
        tags,
        summary: 'Who reacted to a message, per emoji',
        params: schemas.MessageParams,
        response: responses({ 200: MessageReactions }),
      },
    },
    async (request) => ({ reactions: await services.reactions.list(principalOf(request).user.id, request.params.message_id) }),
  );
};
