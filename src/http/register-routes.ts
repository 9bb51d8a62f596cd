/**
 * Every HTTP route. Public routes sit at the root; all others share one encapsulated context
 * whose onRequest hook admits only a live bearer token (RFC 6750), so a route is authenticated
 * by where it is registered, never by remembering an option. The WebSocket gateway
 * authenticates its upgrades itself (src/realtime/gateway.ts).
 */
import type { Scope } from '@pneumatic/protocol';
import type { AccountService } from '../domain/account.service.js';
import { requireScope } from '../domain/scope.policy.js';
import { principalOf, requireAuth } from './plugins/authentication.js';
import { bearer } from './responses.js';
import type { RouteContext, RoutePlugin, TypedApp } from './route-context.js';
import { routeScope } from './route-scopes.js';
import { accountsRoutes } from './routes/accounts.routes.js';
import { apiTokensRoutes } from './routes/api-tokens.routes.js';
import { avatarsRoutes } from './routes/avatars.routes.js';
import { botsRoutes } from './routes/bots.routes.js';
import { incomingPostRoutes } from './routes/incoming-post.routes.js';
import { invitesRoutes } from './routes/invites.routes.js';
import { adminRoutes } from './routes/admin.routes.js';
import { blocksRoutes } from './routes/blocks.routes.js';
import { reportsRoutes } from './routes/reports.routes.js';
import { retentionRoutes } from './routes/retention.routes.js';
import { messageRemovalsRoutes } from './routes/message-removals.routes.js';
import { userExportRoutes } from './routes/user-export.routes.js';
import { identitiesRoutes } from './routes/identities.routes.js';
import { ssoRoutes } from './routes/sso.routes.js';
import { incomingWebhooksRoutes } from './routes/incoming-webhooks.routes.js';
import { webhooksRoutes } from './routes/webhooks.routes.js';
import { changeFeedRoutes } from './routes/change-feed.routes.js';
import { conversationsRoutes } from './routes/conversations.routes.js';
import { healthRoutes } from './routes/health.routes.js';
import { limitsRoutes } from './routes/limits.routes.js';
import { messagesRoutes } from './routes/messages.routes.js';
import { notificationSettingsRoutes } from './routes/notification-settings.routes.js';
import { pinsRoutes } from './routes/pins.routes.js';
import { presenceRoutes } from './routes/presence.routes.js';
import { profileRoutes } from './routes/profile.routes.js';
import { pushRoutes } from './routes/push.routes.js';
import { reactionsRoutes } from './routes/reactions.routes.js';
import { searchRoutes } from './routes/search.routes.js';
import { sessionsRoutes } from './routes/sessions.routes.js';
import { threadsRoutes } from './routes/threads.routes.js';
import { uploadContentRoutes } from './routes/upload-content.routes.js';
import { uploadsRoutes } from './routes/uploads.routes.js';
import { usersRoutes } from './routes/users.routes.js';
import { webAppRoutes } from './routes/web-app.routes.js';

// An upload's bytes are public routes that authenticate themselves: a signed link or a token; an
// incoming webhook's post carries its secret in the URL; avatars are public pictures; starting a
// single sign-on takes a token only to link (sso.routes.ts).
const PUBLIC: readonly RoutePlugin[] = [webAppRoutes, healthRoutes, limitsRoutes, accountsRoutes, uploadContentRoutes, incomingPostRoutes, avatarsRoutes, ssoRoutes];
const AUTHENTICATED: readonly RoutePlugin[] = [
  usersRoutes,
  profileRoutes,
  identitiesRoutes,
  adminRoutes,
  blocksRoutes,
  reportsRoutes,
  retentionRoutes,
  messageRemovalsRoutes,
  userExportRoutes,
  invitesRoutes,
  sessionsRoutes,
  conversationsRoutes,
  messagesRoutes,
  reactionsRoutes,
  pinsRoutes,
  threadsRoutes,
  searchRoutes,
  changeFeedRoutes,
  uploadsRoutes,
  presenceRoutes,
  notificationSettingsRoutes,
  pushRoutes,
  apiTokensRoutes,
  botsRoutes,
  incomingWebhooksRoutes,
  webhooksRoutes,
];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The token scope the route needs (route-scopes.ts); null: any live token. */
    scope?: Scope | null;
  }
}

export async function registerRoutes(app: TypedApp, ctx: RouteContext): Promise<void> {
  for (const routes of PUBLIC) await app.register(routes, ctx);
  await app.register(authenticated(ctx.services.accounts), ctx);
}

/**
 * The context of the routes that need a token: the hooks check it and its scope, the OpenAPI
 * document says so. A route without a scope in route-scopes.ts stops the server at start.
 */
function authenticated(accounts: AccountService): RoutePlugin {
  return async (authed, ctx) => {
    authed.addHook('onRoute', (route) => {
      const scope = routeScope(String(route.method), route.url);
      if (scope === undefined) throw new Error(`${String(route.method)} ${route.url} has no scope in src/http/route-scopes.ts`);
      route.config = { ...route.config, scope };
      route.schema = route.schema ?? {};
      route.schema.security ??= bearer;
      if (scope !== null && route.method !== 'HEAD') {
        route.schema.description = `${route.schema.description ? `${route.schema.description}\n\n` : ''}Token scope: \`${scope}\`.`;
      }
    });
    authed.addHook('onRequest', requireAuth(accounts));
    authed.addHook('onRequest', async (request) => requireScope(principalOf(request).scopes, request.routeOptions.config.scope ?? null));
    for (const routes of AUTHENTICATED) await authed.register(routes, ctx);
  };
}
