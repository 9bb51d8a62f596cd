/** Blocking (docs/API.md, "Blocking"): the caller's own list of users they block. */
import { BlockList } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const blocksRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['blocking'];

  app.get('/users/me/blocks', { schema: { tags, summary: 'Everyone you block, most recent first', response: responses({ 200: BlockList }) } }, async (request) => ({
    blocks: await services.blocks.list(principalOf(request).user.id),
  }));

  app.put(
    '/users/me/blocks/:user_id',
    { schema: { tags, summary: 'Block a user: they cannot add you to conversations, mention you or cause you pushes', params: schemas.BlockParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.blocks.block(principalOf(request).user.id, request.params.user_id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/users/me/blocks/:user_id',
    { schema: { tags, summary: 'Unblock a user (204 whether or not you blocked them)', params: schemas.BlockParams, response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.blocks.unblock(principalOf(request).user.id, request.params.user_id);
      return reply.code(204).send();
    },
  );
};
