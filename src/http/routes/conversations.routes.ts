import { Type } from 'typebox';
import { Conversation, ConversationSummary, Member } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const DEFAULT_PAGE = 50;

export const conversationsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['conversations'];

  app.post(
    '/conversations',
    { schema: { tags, summary: 'Create a conversation; the caller is its owner', body: schemas.CreateConversation, response: responses({ 201: Conversation }) } },
    async (request, reply) => reply.code(201).send(await services.conversations.create(principalOf(request).user.id, request.body)),
  );

  app.get(
    '/conversations',
    {
      schema: {
        tags,
        summary: "The caller's conversations, most recent activity first",
        querystring: schemas.ListConversationsQuery,
        response: responses({
          200: Type.Object({ conversations: Type.Array(ConversationSummary), next_cursor: Type.Union([Type.String(), Type.Null()]) }),
        }),
      },
    },
    async (request) => services.conversations.list(principalOf(request).user.id, request.query.limit ?? DEFAULT_PAGE, request.query.before),
  );

  app.get(
    '/conversations/:id',
    { schema: { tags, summary: 'One conversation', params: schemas.ConversationParams, response: responses({ 200: Conversation }) } },
    async (request) => services.conversations.get(principalOf(request).user.id, request.params.id),
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        tags,
        summary: 'Rename a conversation (owners and admins); announced to the members as conversation.updated',
        params: schemas.ConversationParams,
        body: schemas.UpdateConversation,
        response: responses({ 200: Conversation }),
      },
    },
    async (request) => services.conversations.rename(principalOf(request).user.id, request.params.id, request.body.title),
  );

  app.post(
    '/conversations/:id/members',
    {
      schema: {
        tags,
        summary: 'Add a member (any member may); 200 when already a member',
        params: schemas.ConversationParams,
        body: schemas.AddMember,
        response: responses({ 200: Member, 201: Member }),
      },
    },
    async (request, reply) => {
      const { member, added } = await services.conversations.addMember(principalOf(request).user.id, request.params.id, request.body.user_id);
      return reply.code(added ? 201 : 200).send(member);
    },
  );

  app.patch(
    '/conversations/:id/members/:user_id',
    {
      schema: {
        tags,
        summary: "Change a member's role (owners only); announced as member.updated and written to the audit log",
        params: schemas.MemberParams,
        body: schemas.UpdateMember,
        response: responses({ 200: Member }),
      },
    },
    async (request) =>
      services.conversations.changeRole({ userId: principalOf(request).user.id, requestId: request.id }, request.params.id, request.params.user_id, request.body.role),
  );

  app.delete(
    '/conversations/:id/members/:user_id',
    {
      schema: {
        tags,
        summary: 'Remove a member: yourself; anyone if you are an owner; a member if you are an admin',
        params: schemas.MemberParams,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.conversations.removeMember(principalOf(request).user.id, request.params.id, request.params.user_id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/conversations/:id/read',
    {
      schema: {
        tags,
        summary: 'Move your read position forward (never backwards)',
        params: schemas.ConversationParams,
        body: schemas.MarkRead,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.conversations.markRead(principalOf(request).user.id, request.params.id, request.body.seq);
      return reply.code(204).send();
    },
  );
};
