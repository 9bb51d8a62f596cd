/**
 * Retention (docs/API.md, "Retention"): the server-wide period (admins; `admin` with an API
 * token) and a conversation's own (its owners). The periods are validated by their schemas:
 * 0, negative or fractional days are 400 before any service is asked.
 */
import { Conversation, ConversationRetention, RetentionSettings } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const retentionRoutes: RoutePlugin = async (app, { services, schemas }) => {
  app.get(
    '/admin/retention',
    { schema: { tags: ['administration'], summary: 'The server-wide message retention period', response: responses({ 200: RetentionSettings }) } },
    async (request) => services.retention.serverSettings({ principal: principalOf(request), request_id: request.id }),
  );

  app.put(
    '/admin/retention',
    {
      schema: {
        tags: ['administration'],
        summary: 'Set the server-wide message retention period in days, or null to keep messages forever (audited)',
        body: RetentionSettings,
        response: responses({ 200: RetentionSettings }),
      },
    },
    async (request) => services.retention.setServerSettings({ principal: principalOf(request), request_id: request.id }, request.body),
  );

  app.put(
    '/conversations/:id/retention',
    {
      schema: {
        tags: ['conversations'],
        summary: "Set the conversation's own retention period in days, or null for the server's (owners only)",
        params: schemas.ConversationParams,
        body: ConversationRetention,
        response: responses({ 200: Conversation }),
      },
    },
    async (request) => services.retention.setConversationRetention(principalOf(request).user.id, request.params.id, request.body.retention_days),
  );
};
