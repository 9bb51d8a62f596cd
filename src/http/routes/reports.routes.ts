/**
 * Reports (docs/API.md, "Reports"): members report messages; admins read the queue and close
 * reports (admin/server-role.policy.ts decides who is an admin; `admin` with an API token).
 */
import { CreateReport, Report, ReportList, ReportsQuery, ResolveReport, Uuid } from '@pneumatic/protocol';
import { Type } from 'typebox';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const reportsRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['administration'];

  app.post(
    '/messages/:message_id/reports',
    {
      schema: {
        tags,
        summary: "Report someone else's message to the server's admins; 200 with your earlier report of it",
        params: schemas.MessageParams,
        body: CreateReport,
        response: responses({ 200: Report, 201: Report }),
      },
    },
    async (request, reply) => {
      const { report, created } = await services.reports.report(principalOf(request).user.id, request.params.message_id, request.body.reason);
      return reply.code(created ? 201 : 200).send(report);
    },
  );

  app.get(
    '/admin/reports',
    { schema: { tags, summary: 'The reports of one status (open by default), oldest first', querystring: ReportsQuery, response: responses({ 200: ReportList }) } },
    async (request) => services.reports.list({ principal: principalOf(request), request_id: request.id }, request.query),
  );

  app.patch(
    '/admin/reports/:id',
    {
      schema: {
        tags,
        summary: 'Close a report, resolved or dismissed, with an optional note (audited)',
        params: Type.Object({ id: Uuid }),
        body: ResolveReport,
        response: responses({ 200: Report }),
      },
    },
    async (request) => services.reports.close({ principal: principalOf(request), request_id: request.id }, request.params.id, request.body),
  );
};
