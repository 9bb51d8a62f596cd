import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { Message, MyReactions } from '@pneumatic/protocol';
import type { SendInput } from '../../domain/message.service.js';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RouteContext, RoutePlugin } from '../route-context.js';

const DEFAULT_PAGE = 50;
/** What Fastify sets for a serialized object. */
const JSON_UTF8 = 'application/json; charset=utf-8';
const sendResponses = responses({ 200: Message, 201: Message });

/** 201 and a broadcast for a new message; 200 with the stored one for a repeat. */
async function send({ services, metrics }: RouteContext, reply: FastifyReply, userId: string, input: SendInput) {
  const { message, created } = await metrics.timeSend('http', () => services.messages.send(userId, input));
  return reply.code(created ? 201 : 200).send(message);
}

export const messagesRoutes: RoutePlugin = async (app, ctx) => {
  const { services, schemas } = ctx;
  const tags = ['messages'];

  app.post(
    '/messages',
    { schema: { tags, summary: 'Send a message (idempotent by message_id)', body: schemas.SendMessage, response: sendResponses } },
    async (request, reply) => send(ctx, reply, principalOf(request).user.id, request.body),
  );

  app.post(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'Send a message to this conversation (idempotent by message_id)',
        params: schemas.ConversationParams,
        body: schemas.SendToConversation,
        response: sendResponses,
      },
    },
    async (request, reply) => send(ctx, reply, principalOf(request).user.id, { ...request.body, conversation_id: request.params.id }),
  );

  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        tags,
        summary: 'History, ascending by seq: the latest page, or before=SEQ, or after=SEQ, or the page around=SEQ',
        params: schemas.ConversationParams,
        querystring: schemas.ConversationHistoryQuery,
        response: responses({
          200: Type.Object({
            messages: Type.Array(Message),
            has_more: Type.Boolean(),
            has_more_before: Type.Optional(Type.Boolean({ description: 'around only: older messages exist' })),
            has_more_after: Type.Optional(Type.Boolean({ description: 'around only: newer messages exist' })),
            my_reactions: Type.Optional(MyReactions),
          }),
        }),
      },
    },
    async (request, reply) => {
      const { limit, before, after, around } = request.query;
      const page = await services.messages.historyJson(principalOf(request).user.id, request.params.id, {
        limit: limit ?? DEFAULT_PAGE,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
        ...(around !== undefined ? { around } : {}),
      });
      // Already JSON (the database wrote each message): sent as it is, the response schema
      // above documents it but does not serialize it again. my_reactions only when the caller
      // reacted to a message of the page: a v1 client that never reacts sees the v1 shape; the
      // two sides' has_more only for around, so the other pages keep theirs.
      const mine = page.my_reactions && Object.keys(page.my_reactions).length > 0 ? `,"my_reactions":${JSON.stringify(page.my_reactions)}` : '';
      const sides = page.has_more_before === undefined ? '' : `,"has_more_before":${page.has_more_before},"has_more_after":${page.has_more_after === true}`;
      return reply.type(JSON_UTF8).send(`{"messages":${page.messages_json},"has_more":${page.has_more}${sides}${mine}}`);
    },
  );

  app.patch(
    '/messages/:message_id',
    { schema: { tags, summary: 'Edit your message', params: schemas.MessageParams, body: schemas.EditMessage, response: responses({ 200: Message }) } },
    async (request) => services.messages.edit(principalOf(request).user.id, request.params.message_id, request.body.content),
  );

  app.delete(
    '/messages/:message_id',
    {
      schema: {
        tags,
        summary: 'Delete a message (its sender or an owner); it keeps its seq, content becomes ""',
        params: schemas.MessageParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.messages.delete(principalOf(request).user.id, request.params.message_id);
      return reply.code(204).send();
    },
  );
};
