/** GET /users/me/export (docs/API.md, "Your data"): your own data, downloaded as one JSON file. */
import { Readable } from 'node:stream';
import { UserExport } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const userExportRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/users/me/export',
    { schema: { tags: ['users'], summary: 'Download your own data: account, blocks, conversations and every message you sent in them', response: responses({ 200: UserExport }) } },
    async (request, reply) => {
      const { user } = principalOf(request);
      const chunks = await services.userExport.chunks(user.id);
      const day = new Date().toISOString().slice(0, 10);
      // Streamed as written (the schema above documents it; a stream is not serialized again).
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="pneumatic-${user.username}-${day}.json"`)
        .send(Readable.from(chunks));
    },
  );
};
