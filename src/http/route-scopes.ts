import type { Scope } from '@pneumatic/protocol';

/**
 * The scope each authenticated route needs (src/domain/scope.policy.ts), by method and URL as
 * registered; null: any live token (who am I, logging itself out, the VAPID key). A route
 * registered behind a token but missing here stops the server at start (register-routes.ts),
 * so no route can be added without deciding its scope. HEAD asks as GET.
 */
export const ROUTE_SCOPES: Readonly<Record<string, Scope | null>> = {
  'GET /users/me': null,
  'GET /users/me/role': null,
  'GET /users/:id': 'messages:read',
  'GET /users': 'messages:read',
  'PATCH /users/me': 'account:manage',
  'PUT /users/me/avatar': 'account:manage',
  'DELETE /users/me/avatar': 'account:manage',
  'POST /users/me/password': 'account:manage',
  'POST /invites': 'account:manage',
  'GET /invites': 'account:manage',
  'DELETE /invites/:id': 'account:manage',
  // Revoking the token itself; ?all=true also needs account:manage (sessions.routes.ts).
  'DELETE /sessions/current': null,
  'DELETE /sessions': null,
  'GET /sessions': 'account:manage',
  'DELETE /sessions/:id': 'account:manage',
  'GET /users/me/identities': 'account:manage',
  'DELETE /users/me/identities/:provider': 'account:manage',
  'GET /users/me/blocks': 'account:manage',
  'GET /users/me/export': 'account:manage',
  'PUT /users/me/blocks/:user_id': 'account:manage',
  'DELETE /users/me/blocks/:user_id': 'account:manage',

  'POST /conversations': 'conversations:manage',
  'GET /conversations': 'messages:read',
  'GET /conversations/:id': 'messages:read',
  'PATCH /conversations/:id': 'conversations:manage',
  'POST /conversations/:id/members': 'conversations:manage',
  'PATCH /conversations/:id/members/:user_id': 'conversations:manage',
  'PUT /conversations/:id/retention': 'conversations:manage',
  'DELETE /conversations/:id/members/:user_id': 'conversations:manage',
  'POST /conversations/:id/read': 'messages:write',
  'GET /conversations/:id/events': 'messages:read',
  'POST /sync': 'messages:read',

  'POST /messages': 'messages:write',
  'POST /conversations/:id/messages': 'messages:write',
  'GET /conversations/:id/messages': 'messages:read',
  'PATCH /messages/:message_id': 'messages:write',
  'DELETE /messages/:message_id': 'messages:write',
  'PUT /messages/:message_id/reactions/:emoji': 'messages:write',
  'DELETE /messages/:message_id/reactions/:emoji': 'messages:write',
  'GET /messages/:message_id/reactions': 'messages:read',
  'PUT /conversations/:id/pins/:message_id': 'messages:write',
  'DELETE /conversations/:id/pins/:message_id': 'messages:write',
  'GET /conversations/:id/pins': 'messages:read',
  'GET /messages/:message_id/thread': 'messages:read',
  'POST /messages/:message_id/thread/read': 'messages:write',
  'PUT /messages/:message_id/thread/follow': 'messages:write',
  'DELETE /messages/:message_id/thread/follow': 'messages:write',
  'GET /threads': 'messages:read',
  'GET /search/messages': 'messages:read',

  'POST /uploads': 'messages:write',
  'GET /uploads/:id': 'messages:read',
  'GET /presence': 'messages:read',

  // Reading your own settings is harmless (clients load them with everything else); changing them is the account's.
  'GET /notification-settings': 'messages:read',
  'PATCH /notification-settings': 'account:manage',
  'GET /conversations/:id/notification-settings': 'messages:read',
  'PUT /conversations/:id/notification-settings': 'account:manage',

  'GET /push/vapid-public-key': null,
  'POST /push/subscriptions': 'account:manage',
  'GET /push/subscriptions': 'account:manage',
  'DELETE /push/subscriptions/:id': 'account:manage',

  'POST /tokens': 'account:manage',
  'GET /tokens': 'account:manage',
  'DELETE /tokens/:id': 'account:manage',
  'POST /bots': 'account:manage',
  'GET /bots': 'account:manage',
  'POST /bots/:id/tokens': 'account:manage',
  'GET /bots/:id/tokens': 'account:manage',
  'DELETE /bots/:id/tokens/:token_id': 'account:manage',
  'POST /conversations/:id/incoming-webhooks': 'conversations:manage',
  'GET /conversations/:id/incoming-webhooks': 'messages:read',
  'DELETE /conversations/:id/incoming-webhooks/:webhook_id': 'conversations:manage',

  'POST /webhooks': 'webhooks:manage',
  'GET /webhooks': 'webhooks:manage',
  'GET /webhooks/:id': 'webhooks:manage',
  'PATCH /webhooks/:id': 'webhooks:manage',
  'DELETE /webhooks/:id': 'webhooks:manage',
  'POST /webhooks/:id/rotate-secret': 'webhooks:manage',
  'GET /webhooks/:id/deliveries': 'webhooks:manage',
  'POST /webhooks/:id/deliveries/:delivery_id/redeliver': 'webhooks:manage',

  'GET /admin/users': 'admin',
  'GET /admin/users/:id': 'admin',
  'PATCH /admin/users/:id': 'admin',
  'DELETE /admin/messages/:message_id': 'admin',
  'DELETE /admin/conversations/:id/members/:user_id': 'admin',
  'GET /admin/audit': 'admin',
  'GET /admin/reports': 'admin',
  'PATCH /admin/reports/:id': 'admin',
  'GET /admin/retention': 'admin',
  'PUT /admin/retention': 'admin',
  'POST /admin/users/:user_id/message-removals': 'admin',
  'GET /admin/message-removals/:id': 'admin',
  'GET /admin/message-removals': 'admin',
  'POST /messages/:message_id/reports': 'messages:write',
};

/** An upload's bytes with a bearer token (upload-content.routes.ts authenticates these itself). */
export const UPLOAD_CONTENT_SCOPE: Scope = 'messages:read';

/** The scope of a registered route, or undefined when the table does not name it. */
export function routeScope(method: string, url: string): Scope | null | undefined {
  const key = `${method === 'HEAD' ? 'GET' : method} ${url}`;
  return Object.hasOwn(ROUTE_SCOPES, key) ? ROUTE_SCOPES[key] : undefined;
}
