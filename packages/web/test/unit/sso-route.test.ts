/**
 * Single sign-on in the web app (docs/API.md, "Single sign-on"): the routes the server's
 * callback sends the browser back to (src/lib/route.ts), and a refused login code in words for
 * the log-in screen (src/lib/errors.ts).
 */
import { PneumaticError } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/lib/errors.js';
import { parseRoute, routeHash } from '../../src/lib/route.js';

const CODE = 'pnl_Qx3-a_b0123456789abcdefghijklmnopqrstuvwxy';

describe('parseRoute', () => {
  it('reads the login code of #/sso/<login_code> and the provider of #/sso-linked/<provider>', () => {
    expect(parseRoute(`#/sso/${CODE}`)).toEqual({ kind: 'sso', code: CODE });
    expect(parseRoute('#/sso-linked/corp-2')).toEqual({ kind: 'sso-linked', provider: 'corp-2' });
  });

  it('takes anything else for the home screen', () => {
    expect(parseRoute('#/sso/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/sso/pnl_a b')).toEqual({ kind: 'home' });
    expect(parseRoute('#/sso-linked/Corp')).toEqual({ kind: 'home' });
    expect(parseRoute('#/sso-linked/')).toEqual({ kind: 'home' });
  });

  it('writes the hashes it reads', () => {
    for (const hash of [`#/sso/${CODE}`, '#/sso-linked/corp']) expect(routeHash(parseRoute(hash))).toBe(hash);
  });
});

describe('describeError', () => {
  it('says a refused login code means logging in again, on the form rather than a field', () => {
    const refused = describeError(new PneumaticError('invalid_login_code', 'The login code is unknown, expired or used.', 400));
    expect(refused).toEqual({ fields: {}, form: 'That sign-in did not complete: its login link has expired or was already used. Log in again.' });
  });
});
