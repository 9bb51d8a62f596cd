/**
 * Administration (docs/API.md, "Administration"): users with their server roles and account
 * state, and the audit log. Admins only (admin/server-role.policy.ts); `admin` with an API token.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { AdminActor } from '../../domain/admin/admin.service.js';
import { AdminUser, AdminUserList, AdminUsersQuery, AuditEntryList, AuditQuery, UpdateAdminUser, Uuid } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/** Who acts, for the audit log: the caller and this request's id. */
function actor(request: FastifyRequest): AdminActor {
  return { principal: principalOf(request), request_id: request.id };
}

export const adminRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['administration'];
  const params = Type.Object({ id: Uuid });

  app.get(
    '/admin/users',
    { schema: { tags, summary: 'Users with their roles and account state, in username order', querystring: AdminUsersQuery, response: responses({ 200: AdminUserList }) } },
    async (request) => services.admin.listUsers(principalOf(request), request.query),
  );

  app.get('/admin/users/:id', { schema: { tags, summary: 'One user as an admin sees them', params, response: responses({ 200: AdminUser }) } }, async (request) =>
    services.admin.getUser(principalOf(request), request.params.id),
  );

  app.patch(
    '/admin/users/:id',
    {
      schema: {
        tags,
        summary: 'Change a user\'s server role, deactivate or reactivate them (audited)',
        params,
        body: UpdateAdminUser,
        response: responses({ 200: AdminUser }),
      },
    },
    async (request) => services.admin.updateUser(actor(request), request.params.id, request.body),
  );

  app.delete(
    '/admin/messages/:message_id',
    { schema: { tags, summary: 'Delete any message (announced like any delete; audited)', params: Type.Object({ message_id: Uuid }), response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.admin.deleteMessage(actor(request), request.params.message_id);
      return reply.code(204).send();
    },
  );

  app.delete(
    '/admin/conversations/:id/members/:user_id',
    {
      schema: { tags, summary: 'Remove anyone from any conversation (audited)', params: Type.Object({ id: Uuid, user_id: Uuid }), response: responses({ 204: NoContent }) },
    },
    async (request, reply) => {
      await services.admin.removeMember(actor(request), request.params.id, request.params.user_id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/admin/audit',
    { schema: { tags, summary: 'The audit log, newest first, with filters', querystring: AuditQuery, response: responses({ 200: AuditEntryList }) } },
    async (request) => services.admin.audit(principalOf(request), request.query),
  );
};
