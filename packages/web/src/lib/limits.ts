/** The server's default input limits (API.md "Limits"), checked before anything is sent. */
import { DEFAULT_LIMITS, USERNAME_PATTERN } from '@pneumatic/protocol';

export const LIMITS = DEFAULT_LIMITS;
const USERNAME = new RegExp(USERNAME_PATTERN);

export function usernameProblem(username: string): string | null {
  if (username.length === 0) return 'Enter a username.';
  if (username.length < LIMITS.usernameMinChars || username.length > LIMITS.usernameMaxChars || !USERNAME.test(username)) {
    return `Use ${LIMITS.usernameMinChars} to ${LIMITS.usernameMaxChars} letters, digits, “_”, “.” or “-”.`;
  }
  return null;
}

export function passwordProblem(password: string, signingUp: boolean): string | null {
  if (password.length === 0) return 'Enter a password.';
  if (!signingUp) return null;
  if (password.length < LIMITS.passwordMinChars) return `Use at least ${LIMITS.passwordMinChars} characters.`;
  if (password.length > LIMITS.passwordMaxChars) return `Use at most ${LIMITS.passwordMaxChars} characters.`;
  return null;
}

/** Length as the server counts it (UTF-16 code units, like JSON Schema's maxLength in TypeBox). */
export function contentProblem(content: string): string | null {
  const over = content.length - LIMITS.contentMaxChars;
  return over > 0 ? `${over} character${over === 1 ? '' : 's'} over the ${LIMITS.contentMaxChars}-character limit.` : null;
}
