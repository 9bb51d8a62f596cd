import { Type } from 'typebox';
import { MyServerRole, User, USERS_BY_ID_MAX, UUID_PATTERN } from '@pneumatic/protocol';
import { AppError } from '../../domain/errors.js';
import { principalOf } from '../plugins/authentication.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const usersRoutes: RoutePlugin = async (app, { services, schemas }) => {
  const tags = ['users'];

  app.get('/users/me', { schema: { tags, summary: 'The caller', response: responses({ 200: User }) } }, async (request) => services.accounts.getUser(principalOf(request).user.id));

  // Your own server role is yours to know (the web app shows admins their area); a User object
  // stays the same wherever it is read, so the role is not on it.
  app.get('/users/me/role', { schema: { tags, summary: 'Your server role (docs/API.md, "Administration")', response: responses({ 200: MyServerRole }) } }, async (request) => ({
    role: await services.admin.roleOf(principalOf(request).user.id),
  }));

  app.get(
    '/users/:id',
    { schema: { tags, summary: 'A user by id', params: schemas.UserParams, response: responses({ 200: User }) } },
    async (request) => services.accounts.getUser(request.params.id),
  );

  app.get(
    '/users',
    {
      schema: {
        tags,
        summary: 'Find people: by prefix (q, the directory), by ids (up to 100), or by exact username ignoring case (v1)',
        querystring: schemas.FindUsersQuery,
        response: responses({ 200: Type.Object({ users: Type.Array(User), next_cursor: Type.Optional(Type.Union([Type.String(), Type.Null()])) }) }),
      },
    },
    async (request) => {
      const { username, q, ids, limit, cursor } = request.query;
      const given = [username, q, ids].filter((v) => v !== undefined).length;
      if (given !== 1) {
        // Named after v1's one parameter, which a v1 client left out.
        const errors = given === 0 ? [{ pointer: '/username', detail: 'required, unless q or ids is given' }] : [];
        throw new AppError('invalid_request', 'Give exactly one of q (search), ids or username.', { errors });
      }
      if (q !== undefined) return services.profiles.search(principalOf(request), { q, limit: limit ?? 20, ...(cursor === undefined ? {} : { cursor }) });
      if (ids !== undefined) return { users: await services.profiles.usersByIds(parseIds(ids)) };
      return { users: await services.accounts.findByUsername(username!) };
    },
  );
};

/** `ids=a,b,c`: up to USERS_BY_ID_MAX UUIDs. */
function parseIds(raw: string): string[] {
  const ids = raw.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  const uuid = new RegExp(UUID_PATTERN);
  if (ids.length > USERS_BY_ID_MAX || ids.some((id) => !uuid.test(id))) {
    throw new AppError('invalid_request', `ids is a comma-separated list of at most ${USERS_BY_ID_MAX} user ids.`, { errors: [{ pointer: '/ids', detail: 'not a list of UUIDs' }] });
  }
  return ids;
}
