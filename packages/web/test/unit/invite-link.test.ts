/**
 * Invite links in the web app (docs/API.md, "Invite links"): the `#/invite/<code>` route
 * (src/lib/route.ts), the code read from what a person pasted (src/lib/invite-link.ts), and
 * the sign-up refusals in words under the invite field (src/lib/errors.ts).
 */
import { PneumaticError } from '@pneumatic/client';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../src/lib/errors.js';
import { inviteCodeIn, inviteLink } from '../../src/lib/invite-link.js';
import { parseRoute } from '../../src/lib/route.js';

const CODE = 'pni_Qx3-a_b0123456789abcdefghijklmnopqrstuvwxy';

describe('parseRoute', () => {
  it('reads an invite link’s code, and leaves the other screens as they were', () => {
    expect(parseRoute(`#/invite/${CODE}`)).toEqual({ kind: 'invite', code: CODE });
    expect(parseRoute('#/invite/')).toEqual({ kind: 'home' });
    expect(parseRoute('#/invite/pni_a b')).toEqual({ kind: 'home' });
    expect(parseRoute('#/settings')).toEqual({ kind: 'settings' });
    expect(parseRoute('')).toEqual({ kind: 'home' });
  });
});

describe('inviteLink', () => {
  it('joins the server’s origin and the invite’s path', () => {
    expect(inviteLink('https://chat.example.com', `/#/invite/${CODE}`)).toBe(`https://chat.example.com/#/invite/${CODE}`);
  });
});

describe('inviteCodeIn', () => {
  it('takes the code as typed, or out of a whole link pasted, without surrounding spaces', () => {
    expect(inviteCodeIn(`  ${CODE} `)).toBe(CODE);
    expect(inviteCodeIn(`https://chat.example.com/#/invite/${CODE}\n`)).toBe(CODE);
    expect(inviteCodeIn('')).toBe('');
  });
});

describe('describeError for sign-up refusals', () => {
  const problem = (code: string, detail: string) => new PneumaticError(code, detail, 403);

  it('puts a missing or refused invite under the invite field, with the server’s reason for a refused one', () => {
    expect(describeError(problem('invite_required', 'x')).fields.invite).toMatch(/needs an invite/);
    expect(describeError(problem('invalid_invite', 'This invite link has expired: ask for a new one.'))).toEqual({
      fields: { invite: 'This invite link has expired: ask for a new one.' },
      form: null,
    });
  });

  it('says a closed server’s accounts come from its administrators, for the whole form', () => {
    const { fields, form } = describeError(problem('registration_closed', 'x'));
    expect(fields).toEqual({});
    expect(form).toMatch(/administrators/);
  });
});
