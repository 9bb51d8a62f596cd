import { FollowedThreads, ThreadPage, ThreadReadPosition } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

const DEFAULT_PAGE = 50;
/** What Fastify sets for a serialized object. */
const JSON_UTF8 = 'application/json; charset=utf-8';

/**
 * Threads (docs/API.md, "Replies and threads"). Replying is a send with thread_root_id (and/or
 * reply_to_id for a quote): POST /messages, POST /conversations/{id}/messages or the socket's
 * message frame. These routes read a thread, and keep the caller's following of and position in it.
 */
export const threadsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['threads'];

  app.get(
    '/messages/:message_id/thread',
    {
      schema: {
        tags,
        summary: "A thread's replies, ascending by seq, with its root: the latest page, or before=SEQ, or after=SEQ",
        params: schemas.MessageParams,
        querystring: schemas.HistoryQuery,
        response: responses({ 200: ThreadPage }),
      },
    },
    async (request, reply) => {
      const { limit, before, after } = request.query;
      const { root, page } = await services.threads.page(principalOf(request).user.id, request.params.message_id, {
        limit: limit ?? DEFAULT_PAGE,
        ...(before !== undefined ? { before } : {}),
        ...(after !== undefined ? { after } : {}),
      });
      // The replies are already JSON, as a history page's: sent as they are.
      return reply.type(JSON_UTF8).send(`{"root":${JSON.stringify(root)},"messages":${page.messages_json},"has_more":${page.has_more}}`);
    },
  );

  app.post(
    '/messages/:message_id/thread/read',
    {
      schema: {
        tags,
        summary: 'Move your read position in this thread forward (never backwards); your other devices get a thread.read frame',
        params: schemas.MessageParams,
        body: schemas.MarkRead,
        response: responses({ 200: ThreadReadPosition }),
      },
    },
    async (request) => services.threads.markRead(principalOf(request).user.id, request.params.message_id, request.body.seq),
  );

  app.put(
    '/messages/:message_id/thread/follow',
    {
      schema: { tags, summary: 'Follow this thread (idempotent)', params: schemas.MessageParams, response: responses({ 204: NoContent }) },
    },
    async (request, reply) => {
      await services.threads.setFollowing(principalOf(request).user.id, request.params.message_id, true);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/messages/:message_id/thread/follow',
    {
      schema: { tags, summary: 'Stop following this thread (idempotent); posting in it follows it again', params: schemas.MessageParams, response: responses({ 204: NoContent }) },
    },
    async (request, reply) => {
      await services.threads.setFollowing(principalOf(request).user.id, request.params.message_id, false);
      return reply.code(204).send();
    },
  );

  app.get(
    '/threads',
    {
      schema: {
        tags,
        summary: 'The threads you follow, latest reply first, each with your read position and its unread replies',
        querystring: schemas.ListThreadsQuery,
        response: responses({ 200: FollowedThreads }),
      },
    },
    async (request) => ({ threads: await services.threads.followed(principalOf(request).user.id, request.query.limit ?? DEFAULT_PAGE) }),
  );
};
