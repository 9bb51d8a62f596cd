import { PresenceList, PresenceQuery } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/**
 * Presence (docs/API.md, "Presence"): the status of users who share a conversation with the
 * caller. Ids of anyone else, unknown ones included, are left out of the answer, never refused:
 * the answer cannot tell an outsider from a user who does not exist.
 */
export const presenceRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/presence',
    {
      schema: {
        tags: ['presence'],
        summary: 'Online, away or offline, and last seen, of users who share a conversation with you',
        querystring: PresenceQuery,
        response: responses({ 200: PresenceList }),
      },
    },
    async (request) => {
      // The pattern admits upper-case ids (RFC 9562 §4); answers carry them in lower case.
      const ids = request.query.user_ids.toLowerCase().split(',');
      return { presence: await services.presence.list(principalOf(request).user.id, ids) };
    },
  );
};
