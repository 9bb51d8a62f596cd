import { describe, expect, it } from 'vitest';
import type { VerifiedClaims } from '../../../src/domain/ports/openid-providers.js';
import { baseUsername, displayNameOf, usernameCandidate } from '../../../src/domain/sso/account-naming.js';

const rules = { minChars: 3, maxChars: 12 };
const claims = (over: Partial<VerifiedClaims>): VerifiedClaims => ({ issuer: 'https://id.example', subject: 's', email: null, email_verified: false, preferred_username: null, name: null, ...over });

describe('naming an account made by single sign-on (account-naming.ts)', () => {
  it('takes preferred_username, else the e-mail local part, else the name, in the username alphabet', () => {
    expect(baseUsername(claims({ preferred_username: 'J.Doe', email: 'x@y.z', name: 'N' }), rules)).toBe('j.doe');
    expect(baseUsername(claims({ email: 'zoë.smith+chat@example.com' }), rules)).toBe('zoe.smithcha');
    expect(baseUsername(claims({ name: 'Łukasz Nowak' }), rules)).toBe('lukasz.nowak');
    expect(baseUsername(claims({ preferred_username: '日本', name: 'Ann Lee' }), rules)).toBe('ann.lee');
  });

  it('pads a short name and falls back to "user" when nothing usable is given', () => {
    expect(baseUsername(claims({ preferred_username: 'al' }), rules)).toBe('al0');
    expect(baseUsername(claims({ preferred_username: '...' }), rules)).toBe('user');
  });

  it('numbers later candidates, cut so the number always fits', () => {
    expect(usernameCandidate('jdoe', 1, rules)).toBe('jdoe');
    expect(usernameCandidate('jdoe', 2, rules)).toBe('jdoe2');
    expect(usernameCandidate('abcdefghijkl', 12, rules)).toBe('abcdefghij12');
  });

  it('uses the name as display name only when a display name may hold it', () => {
    expect(displayNameOf(claims({ name: '  Jane Doe ' }))).toBe('Jane Doe');
    expect(displayNameOf(claims({ name: 'evil\u202Egnp.exe' }))).toBeNull();
    expect(displayNameOf(claims({ name: 'x'.repeat(65) }))).toBeNull();
    expect(displayNameOf(claims({}))).toBeNull();
  });
});
