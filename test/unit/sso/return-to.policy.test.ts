import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import { resolveReturnTo } from '../../../src/domain/sso/return-to.policy.js';

const rules = { ownOrigin: 'https://chat.example.com', allowedOrigins: ['https://app.example.com'] };

describe('where a single sign-on returns the browser (return-to.policy.ts)', () => {
  it('defaults to the server root and keeps paths on this server, without a fragment', () => {
    expect(resolveReturnTo(undefined, rules)).toBe('https://chat.example.com/');
    expect(resolveReturnTo('/settings?tab=1#old', rules)).toBe('https://chat.example.com/settings?tab=1');
  });

  it('accepts URLs on this origin and on the allowed origins', () => {
    expect(resolveReturnTo('https://chat.example.com/x', rules)).toBe('https://chat.example.com/x');
    expect(resolveReturnTo('https://app.example.com/', rules)).toBe('https://app.example.com/');
  });

  it.each([
    ['another host', 'https://evil.example/'],
    ['a protocol-relative path', '//evil.example/'],
    ['a backslash path', '/\\evil.example/'],
    ['a lookalike subdomain', 'https://app.example.com.evil.example/'],
    ['another scheme', 'javascript:alert(1)'],
    ['credentials in the URL', 'https://user:pw@chat.example.com/'],
    ['an allowed host over http', 'http://app.example.com/'],
  ])('refuses %s with 400 invalid_request', (_, value) => {
    let caught: unknown;
    try {
      resolveReturnTo(value, rules);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('invalid_request');
  });
});
