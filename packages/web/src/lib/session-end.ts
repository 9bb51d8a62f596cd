/**
 * Why a live session ended for good, read from its close code (docs/API.md, "Close codes"), and
 * what the log-in screen then says. A revoked login (4401: a logout here or elsewhere, a
 * password change) says nothing, the account's holder did it; a deactivated account (4503) is
 * told so, since logging in again will be refused too.
 */
import { CloseCode } from '@pneumatic/client';
import { ACCOUNT_DEACTIVATED_TEXT } from './errors.js';

export type SessionEnd = 'revoked' | 'deactivated';

/** The end a close code says; null when it says none (then the server is asked whether the token still works). */
export function sessionEndOf(code: number | undefined): SessionEnd | null {
  if (code === CloseCode.SESSION_REVOKED) return 'revoked';
  if (code === CloseCode.ACCOUNT_DEACTIVATED) return 'deactivated';
  return null;
}

/** What the log-in screen says after the app signed out on its own; null for a plain log-out. */
export function signedOutNotice(end: SessionEnd | undefined): string | null {
  return end === 'deactivated' ? ACCOUNT_DEACTIVATED_TEXT : null;
}
