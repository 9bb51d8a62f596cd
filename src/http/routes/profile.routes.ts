/**
 * The caller's own account (docs/API.md, "Profiles", "Password and sessions"): profile,
 * avatar and password. Each needs `account:manage` with an API token (route-scopes.ts).
 */
import { changePasswordSchema, SetAvatar, UpdateProfile, User } from '@pneumatic/protocol';
import { principalOf } from '../plugins/authentication.js';
import { NoContent, responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

export const profileRoutes: RoutePlugin = async (app, { services, limits }) => {
  const tags = ['users'];

  app.patch(
    '/users/me',
    { schema: { tags, summary: 'Change your display name or status text (null or "" clears)', body: UpdateProfile, response: responses({ 200: User }) } },
    async (request) => services.profiles.update(principalOf(request), request.body),
  );

  app.put(
    '/users/me/avatar',
    { schema: { tags, summary: 'Set your avatar from one of your image uploads (cropped square, 256×256 WebP)', body: SetAvatar, response: responses({ 200: User }) } },
    async (request) => services.profiles.setAvatar(principalOf(request), request.body.upload_id),
  );

  app.delete('/users/me/avatar', { schema: { tags, summary: 'Remove your avatar', response: responses({ 200: User }) } }, async (request) =>
    services.profiles.clearAvatar(principalOf(request)),
  );

  const ChangePassword = changePasswordSchema(limits.password_min_chars, limits.password_max_chars);
  app.post(
    '/users/me/password',
    {
      schema: {
        tags: ['sessions'],
        summary: 'Change your password: every other session of yours is logged out (API tokens stay)',
        body: ChangePassword,
        response: responses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await services.sessions.changePassword(principalOf(request), request.body.current_password, request.body.new_password, request.ip);
      return reply.code(204).send();
    },
  );
};
