/** Invite links (docs/API.md, "Registration and invites"): each user's own; `account:manage` with an API token. */
import { Type } from 'typebox';
import { CreatedInvite, CreateInvite, InviteList, Uuid } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const invitesRoutes: RoutePlugin = async (app, { services }) => {
  const tags = ['invites'];

  app.post(
    '/invites',
    { schema: { tags, summary: 'Make an invite link: its code is shown this once', body: CreateInvite, response: responses({ 201: CreatedInvite }) } },
    async (request, reply) => reply.code(201).send(await services.invites.create(principalOf(request), request.body)),
  );

  app.get('/invites', { schema: { tags, summary: 'Your invite links that have not expired, newest first', response: responses({ 200: InviteList }) } }, async (request) => ({
    invites: await services.invites.list(principalOf(request)),
  }));

  app.delete(
    '/invites/:id',
    { schema: { tags, summary: 'Revoke one of your invite links', params: Type.Object({ id: Uuid }), response: responses({ 204: NoContent }) } },
    async (request, reply) => {
      await services.invites.revoke(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
