/**
 * Administration's small decisions outside its screens: the routes of the area, a session closed
 * for good read from its close code, the log-in screen's words for a deactivated account, and
 * your server role read from GET /users/me/role (src/lib/route.ts, src/lib/session-end.ts,
 * src/lib/errors.ts, src/lib/stores/server-role-store.ts).
 */
import { CloseCode, PneumaticError, type ServerRole } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { ACCOUNT_DEACTIVATED_TEXT, describeError } from '../../src/lib/errors.js';
import { parseRoute, routeHash } from '../../src/lib/route.js';
import { sessionEndOf, signedOutNotice } from '../../src/lib/session-end.js';
import { ServerRoleStore } from '../../src/lib/stores/server-role-store.js';

describe('the Administration routes', () => {
  it('reads #/admin as its users and #/admin/audit as the audit log, and writes them back', () => {
    expect(parseRoute('#/admin')).toEqual({ kind: 'admin', tab: 'users' });
    expect(parseRoute('#/admin/audit')).toEqual({ kind: 'admin', tab: 'audit' });
    for (const hash of ['#/admin', '#/admin/audit']) expect(routeHash(parseRoute(hash))).toBe(hash);
  });

  it('takes anything else under #/admin for the home screen', () => {
    expect(parseRoute('#/admin/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/admin/users/1')).toEqual({ kind: 'home' });
  });
});

describe('sessionEndOf and signedOutNotice', () => {
  it('reads 4401 as a revoked login, which the log-in screen does not explain', () => {
    expect(sessionEndOf(CloseCode.SESSION_REVOKED)).toBe('revoked');
    expect(signedOutNotice('revoked')).toBeNull();
  });

  it('reads 4503 as a deactivated account, which the log-in screen explains', () => {
    expect(sessionEndOf(CloseCode.ACCOUNT_DEACTIVATED)).toBe('deactivated');
    expect(signedOutNotice('deactivated')).toBe('This account was deactivated by an administrator.');
  });

  it('reads nothing from other codes (the server is asked instead), nor from a plain log-out', () => {
    expect(sessionEndOf(CloseCode.GOING_AWAY)).toBeNull();
    expect(sessionEndOf(undefined)).toBeNull();
    expect(signedOutNotice(undefined)).toBeNull();
  });
});

describe('describeError at log-in', () => {
  it('says a deactivated account was deactivated by an administrator, on the form rather than a field', () => {
    const refused = describeError(new PneumaticError('account_deactivated', 'This account has been deactivated.', 403));
    expect(refused).toEqual({ fields: {}, form: ACCOUNT_DEACTIVATED_TEXT });
  });
});

describe('ServerRoleStore', () => {
  it('is unknown until GET /users/me/role answers, then your role, and follows a change', async () => {
    let answer: ServerRole = 'admin';
    const roles = new ServerRoleStore(() => Promise.resolve(answer));
    expect(roles.view.get()).toBeNull();
    await roles.refresh();
    expect(roles.view.get()).toBe('admin');
    answer = 'member';
    await roles.refresh();
    expect(roles.view.get()).toBe('member');
  });

  it('keeps what it knew when the server cannot be reached', async () => {
    let fail = false;
    const roles = new ServerRoleStore(() => (fail ? Promise.reject(new PneumaticError('network', 'offline')) : Promise.resolve<ServerRole>('admin')));
    await roles.refresh();
    fail = true;
    await roles.refresh();
    expect(roles.view.get()).toBe('admin');
  });

  it('reads the role again after a refusal as forbidden (it was taken away), and not after other failures', async () => {
    let asked = 0;
    const roles = new ServerRoleStore(() => {
      asked++;
      return Promise.resolve<ServerRole>('member');
    });
    roles.refused(new PneumaticError('last_admin', 'Make another admin first.', 409));
    expect(asked).toBe(0);
    roles.refused(new PneumaticError('forbidden', 'Admins only.', 403));
    expect(asked).toBe(1);
  });
});
