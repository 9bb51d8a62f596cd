/**
 * Who may administer the server (docs/API.md, "Administration"): a user whose server role is
 * `admin`, through a login session or an API token holding the `admin` scope. Every /admin route
 * asks here, and nothing else grants an admin's powers; the same 403 `forbidden` answers a
 * member and an admin's token without the scope (scope.policy.ts). The role is the stored one,
 * read for the request, not one remembered with the token: a role taken away (by an admin or
 * `npm run admin -- revoke`) stops working at the next request on every process.
 */
import type { ServerRole } from '@pneumatic/protocol';
import type { Principal } from '../account.service.js';
import { AppError } from '../errors.js';
import { requireScope } from '../scope.policy.js';

export function requireAdmin(principal: Principal, storedRole: ServerRole | null): void {
  if (storedRole !== 'admin') throw new AppError('forbidden', 'Only a server admin may do this.');
  requireScope(principal.scopes, 'admin');
}
