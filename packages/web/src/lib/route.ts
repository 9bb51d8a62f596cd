/**
 * The screens of the URL hash and their hashes, as plain functions (no DOM): `use-route.ts`
 * follows and changes the page's hash with them.
 */

/** `invite`: an invite link (`#/invite/<code>`, docs/API.md "Invite links"), the sign-up screen with its code. */
export type Route = { kind: 'home' } | { kind: 'new' } | { kind: 'settings' } | { kind: 'conversation'; id: string } | { kind: 'invite'; code: string };

export function parseRoute(hash: string): Route {
  if (hash === '#/new') return { kind: 'new' };
  if (hash === '#/settings') return { kind: 'settings' };
  const invite = /^#\/invite\/([A-Za-z0-9_-]{1,200})$/.exec(hash);
  if (invite) return { kind: 'invite', code: invite[1]! };
  const match = /^#\/c\/([0-9a-f-]{36})$/i.exec(hash);
  return match ? { kind: 'conversation', id: match[1]!.toLowerCase() } : { kind: 'home' };
}

export function routeHash(route: Route): string {
  if (route.kind === 'conversation') return `#/c/${route.id}`;
  if (route.kind === 'invite') return `#/invite/${route.code}`;
  return route.kind === 'home' ? '' : `#/${route.kind}`;
}
