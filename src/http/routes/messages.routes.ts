import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import type { SendInput } from '../../domain/message.service.js';
import { Message } from '@pneumatic/protocol';
import type { Services } from '../../services.js';
import type { ServerMetrics } from '../../observability/metrics.js';
import { principalOf } from '../plugins/authentication.js';
import { bearer, NoContent, responses } from '../responses.js';
import type { RouteContext, TypedApp } from '../route-context.js';

const DEFAULT_PAGE = 50;
const sendResponses = responses({ 200: Message, 201: Message });

export function messagesRoutes(app: TypedApp, { services, schemas, auth }: RouteContext, metrics: ServerMetrics): void {
  const tags = ['messages'];

  /** 201 and a broadcast for a new message; 200 with the stored one for a repeat. */
  async function send(reply: FastifyReply, userId: string, input: SendInput, svc: Services) {
    const stop = metrics.sendDuration.startTimer({ transport: 'http' });
    const { message, created } = await svc.messages.send(userId, input);
    stop();
    return reply.code(created ? 201 : 200).send(message);
  }

  app.post(
    '/messages',
    {
      onRequest: auth,
      schema: { tags, summary: 'Send a message (idempotent by message_id)', security: bearer, body: schemas.SendMessage, response: sendResponses },
    },
    async (request, reply) => send(reply, principalOf(request).user.id, request.body, services),
  );

  app.post(
    '/conversations/:id/messages',
    {
      onRequest: auth,
      schema: {
        tags,
        summary: 'Send a message to this conversation (idempotent by message_id)',
        security: bearer,
        params: schemas.ConversationParams,
        body: schemas.SendToConversation,
        response: sendResponses,
      },
    },
    async (request, reply) =>
      send(reply, principalOf(request).user.id, { ...request.body, conversation_id: request.params.id }, services),
  );

  app.get(
    '/conversations/:id/messages',
    {
      onRequest: auth,
      schema: {
        tags,
        summary: 'History, ascending by seq: the latest page, or before=SEQ, or after=SEQ',
        security: bearer,
        params: schemas.ConversationParams,
        querystring: schemas.HistoryQuery,
        response: responses({ 200: Type.Object({ messages: Type.Array(Message), has_more: Type.Boolean() }) }),
      },
    },
    async (request) => {
      const { limit, before, after } = request.query;
      return services.messages.history(principalOf(request).user.id, request.params.id.toLowerCase(), {
        limit: limit ?? DEFAULT_PAGE,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      });
    },
  );

  app.patch(
    '/messages/:message_id',
    {
      onRequest: auth,
      schema: {
        tags,
        summary: 'Edit your message',
        security: bearer,
        params: schemas.MessageParams,
        body: schemas.EditMessage,
        response: responses({ 200: Message }),
      },
    },
    async (request) => services.messages.edit(principalOf(request).user.id, request.params.message_id, request.body.content),
  );

  app.delete(
    '/messages/:message_id',
    {
      onRequest: auth,
      schema: {
        tags,
        summary: 'Delete a message (its sender or an owner); it keeps its seq, content becomes ""',
        security: bearer,
        params: schemas.MessageParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.messages.delete(principalOf(request).user.id, request.params.message_id);
      return reply.code(204).send();
    },
  );
}
