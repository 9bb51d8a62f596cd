/**
 * What a bearer token may do (docs/API.md, "API tokens and scopes"). A login session holds every
 * scope (`null`); an API token holds those it was created with. Every route and every socket
 * frame names the scope it needs (src/http/route-scopes.ts, src/realtime/frame-scopes.ts), and
 * both transports ask here, so a token is held to the same rule however it calls.
 *
 * - messages:read: read conversations, messages, threads, reactions, pins, files, search, the
 *   change feed and presence; open a WebSocket and receive its events.
 * - messages:write: change what others see in a conversation: send, edit and delete messages,
 *   react, pin, mark as read, follow threads, upload files, typing.
 * - conversations:manage: create conversations, rename them, add and remove members.
 * - account:manage: the account's settings and credentials: notification settings, push
 *   subscriptions, API tokens, logging out everywhere.
 * - webhooks:manage: outgoing webhooks.
 * - admin: the /admin routes, for a user whose server role is admin (admin/server-role.policy.ts);
 *   it gives a member nothing. Refused as 403 forbidden, the answer a member gets there too.
 */
import type { Scope } from '@pneumatic/protocol';
import { AppError } from './errors.js';

/** The scopes a principal holds: null for a login session, which holds them all. */
export type HeldScopes = readonly Scope[] | null;

/** Refuses with 403 insufficient_scope unless `held` includes `needed` (null: nothing needed). */
export function requireScope(held: HeldScopes, needed: Scope | null): void {
  if (needed === null || held === null || held.includes(needed)) return;
  if (needed === 'admin') throw new AppError('forbidden', 'This token lacks the admin scope.');
  throw new AppError('insufficient_scope', `This token lacks the ${needed} scope.`);
}

/** A token may hand on only scopes it holds itself: refuses the first it does not. */
export function requireGrantable(held: HeldScopes, requested: readonly Scope[]): void {
  for (const scope of requested) requireScope(held, scope);
}
