/**
 * The screens of the URL hash and their hashes, as plain functions (no DOM): `use-route.ts`
 * follows and changes the page's hash with them.
 */

/**
 * `invite`: an invite link (`#/invite/<code>`, docs/API.md "Invite links"), the sign-up screen with its code.
 * `sso`: back from a single sign-on with a login code to exchange (`#/sso/<login_code>`, docs/API.md
 * "Single sign-on"); `sso-linked`: back from linking a provider in Settings (`#/sso-linked/<provider>`).
 * `admin`: the Administration area (`#/admin`, its users; `#/admin/reports`, the reports; `#/admin/audit`,
 * the audit log; `#/admin/retention`, the server-wide retention period), for admins only.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'new' }
  | { kind: 'settings' }
  | { kind: 'admin'; tab: AdminTab }
  | { kind: 'conversation'; id: string }
  | { kind: 'invite'; code: string }
  | { kind: 'sso'; code: string }
  | { kind: 'sso-linked'; provider: string };

/** The Administration area's screens (docs/API.md, "Administration", "Reports", "Retention"). */
export type AdminTab = 'users' | 'reports' | 'audit' | 'retention';

export function parseRoute(hash: string): Route {
  if (hash === '#/new') return { kind: 'new' };
  if (hash === '#/settings') return { kind: 'settings' };
  if (hash === '#/admin') return { kind: 'admin', tab: 'users' };
  if (hash === '#/admin/reports') return { kind: 'admin', tab: 'reports' };
  if (hash === '#/admin/audit') return { kind: 'admin', tab: 'audit' };
  if (hash === '#/admin/retention') return { kind: 'admin', tab: 'retention' };
  const invite = /^#\/invite\/([A-Za-z0-9_-]{1,200})$/.exec(hash);
  if (invite) return { kind: 'invite', code: invite[1]! };
  const sso = /^#\/sso\/([A-Za-z0-9_-]{1,200})$/.exec(hash);
  if (sso) return { kind: 'sso', code: sso[1]! };
  const linked = /^#\/sso-linked\/([a-z0-9-]{1,64})$/.exec(hash);
  if (linked) return { kind: 'sso-linked', provider: linked[1]! };
  const match = /^#\/c\/([0-9a-f-]{36})$/i.exec(hash);
  return match ? { kind: 'conversation', id: match[1]!.toLowerCase() } : { kind: 'home' };
}

export function routeHash(route: Route): string {
  if (route.kind === 'conversation') return `#/c/${route.id}`;
  if (route.kind === 'invite') return `#/invite/${route.code}`;
  if (route.kind === 'sso') return `#/sso/${route.code}`;
  if (route.kind === 'sso-linked') return `#/sso-linked/${route.provider}`;
  if (route.kind === 'admin') return route.tab === 'users' ? '#/admin' : `#/admin/${route.tab}`;
  return route.kind === 'home' ? '' : `#/${route.kind}`;
}
