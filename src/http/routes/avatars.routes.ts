/**
 * Avatars (docs/API.md, "Profiles"): public, like the pictures on a web page. A file's name is
 * 128 random bits made when it was set, so only those who were shown the user find it, and it
 * never changes content: cached for a year, immutable.
 */
import { Type } from 'typebox';
import { AppError } from '../../domain/errors.js';
import { responses } from '../responses.js';
import type { RoutePlugin } from '../route-context.js';

/** Served images run no script and load nothing, even when opened directly. */
const AVATAR_CSP = "sandbox; default-src 'none'";

export const avatarsRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/avatars/:file',
    {
      schema: {
        tags: ['users'],
        summary: "A user's avatar: a 256×256 WebP, no token needed",
        params: Type.Object({ file: Type.String({ maxLength: 64 }) }),
        response: responses({ 200: Type.Unknown({ description: 'image/webp' }) }),
      },
    },
    async (request, reply) => {
      const body = await services.profiles.openAvatar(request.params.file);
      if (!body) throw new AppError('not_found', 'No such avatar.');
      return reply
        .headers({
          'content-type': 'image/webp',
          'cache-control': 'public, max-age=31536000, immutable',
          'content-security-policy': AVATAR_CSP,
          'x-content-type-options': 'nosniff',
          'cross-origin-resource-policy': 'cross-origin',
        })
        .send(body);
    },
  );
};
