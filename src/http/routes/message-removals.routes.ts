/**
 * Removing a user's messages (docs/API.md, "Administration", Removing a user's messages): start
 * a removal of every message of a user in a window, then follow its progress. Admins only
 * (admin/server-role.policy.ts); `admin` with an API token.
 */
import { MessageRemoval, MessageRemovalList, MessageRemovalsQuery, StartMessageRemoval, Uuid } from '@pneumatic/protocol';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AdminActor } from '../../domain/admin/admin.service.js';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

function actor(request: FastifyRequest): AdminActor {
  return { principal: principalOf(request), request_id: request.id };
}

export const messageRemovalsRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['administration'];

  app.post(
    '/admin/users/:user_id/message-removals',
    {
      schema: {
        tags,
        summary: "Delete all of a user's messages in a time window, as a background job (audited); 202 with the job to follow",
        params: Type.Object({ user_id: Uuid }),
        body: StartMessageRemoval,
        response: responses({ 202: MessageRemoval }),
      },
    },
    async (request, reply) => {
      const removal = await services.messageRemovals.start(actor(request), request.params.user_id, request.body);
      return reply.code(202).header('location', `/admin/message-removals/${removal.id}`).send(removal);
    },
  );

  app.get(
    '/admin/message-removals/:id',
    { schema: { tags, summary: 'One message removal and its progress', params: Type.Object({ id: Uuid }), response: responses({ 200: MessageRemoval }) } },
    async (request) => services.messageRemovals.get(actor(request), request.params.id),
  );

  app.get(
    '/admin/message-removals',
    { schema: { tags, summary: 'Message removals, newest first, optionally of one user', querystring: MessageRemovalsQuery, response: responses({ 200: MessageRemovalList }) } },
    async (request) => services.messageRemovals.list(actor(request), request.query),
  );
};
