/**
 * Where a single sign-on sends the browser back to (docs/API.md, "Single sign-on"): a path on
 * this server, or a URL on one of its allowed origins (CORS_ORIGINS). Anything else would make
 * the callback an open redirect that hands a login code to whoever named the URL.
 */
import { AppError } from '../errors.js';

export interface ReturnToRules {
  /** This server's origin, as the browser reaches it. */
  ownOrigin: string;
  /** CORS_ORIGINS: web apps served elsewhere. */
  allowedOrigins: readonly string[];
}

/** The absolute URL to return to, without a fragment (the callback adds its own). */
export function resolveReturnTo(raw: string | undefined, rules: ReturnToRules): string {
  const value = raw ?? '/';
  // "//evil.example" and "/\evil.example" are paths to us but other hosts to a browser.
  const isPath = value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\');
  let url: URL;
  try {
    url = new URL(value, rules.ownOrigin);
  } catch {
    throw refused();
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.username !== '' || url.password !== '') throw refused();
  const allowed = isPath ? url.origin === rules.ownOrigin : url.origin === rules.ownOrigin || rules.allowedOrigins.includes(url.origin);
  if (!allowed) throw refused();
  url.hash = '';
  return url.toString();
}

const refused = () =>
  new AppError('invalid_request', 'return_to must be a path on this server or a URL on one of its allowed origins (CORS_ORIGINS).', {
    errors: [{ pointer: '/return_to', detail: 'is not on this server or an allowed origin' }],
  });
