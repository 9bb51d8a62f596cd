/**
 * The input limits forms check before anything is sent: those the server publishes at
 * `GET /limits`, fetched once per page load. Until they arrive (or if the server cannot say),
 * the protocol's defaults stand in; the server still has the last word on every request.
 */
import { PneumaticClient, type ServerLimits } from '@pneumatic/client';
import { DEFAULT_LIMITS, USERNAME_PATTERN } from '@pneumatic/protocol';
import { Atom } from './stores/atom.js';

export const FALLBACK_LIMITS: ServerLimits = {
  username_min_chars: DEFAULT_LIMITS.usernameMinChars,
  username_max_chars: DEFAULT_LIMITS.usernameMaxChars,
  username_pattern: USERNAME_PATTERN,
  password_min_chars: DEFAULT_LIMITS.passwordMinChars,
  password_max_chars: DEFAULT_LIMITS.passwordMaxChars,
  title_max_chars: DEFAULT_LIMITS.titleMaxChars,
  content_max_chars: DEFAULT_LIMITS.contentMaxChars,
  members_max: DEFAULT_LIMITS.membersMax,
  body_max_bytes: 65_536,
  ws_max_frame_bytes: 65_536,
  upload_max_bytes: 26_214_400,
  upload_quota_bytes: 1_073_741_824,
  attachments_max: 10,
};

/** The limits in force; components read it with `useAtom(limits)`. */
export const limits = new Atom<ServerLimits>(FALLBACK_LIMITS);

let requested = false;

/** Fetches the server's limits once; a failure keeps the fallback (the server validates anyway). */
export function loadLimits(baseUrl: string): void {
  if (requested) return;
  requested = true;
  new PneumaticClient({ baseUrl }).getLimits().then(
    (fetched) => limits.set(fetched),
    () => {
      requested = false;
    },
  );
}

export function usernameProblem(username: string, l: ServerLimits): string | null {
  if (username.length === 0) return 'Enter a username.';
  if (username.length < l.username_min_chars || username.length > l.username_max_chars || !matches(l.username_pattern, username)) {
    return `Use ${l.username_min_chars} to ${l.username_max_chars} letters, digits, “_”, “.” or “-”.`;
  }
  return null;
}

export function usernameHint(l: ServerLimits): string {
  return `${l.username_min_chars} to ${l.username_max_chars} letters, digits, “_”, “.” or “-”.`;
}

export function passwordProblem(password: string, signingUp: boolean, l: ServerLimits): string | null {
  if (password.length === 0) return 'Enter a password.';
  if (!signingUp) return null;
  if (codePoints(password) < l.password_min_chars) return `Use at least ${l.password_min_chars} characters.`;
  if (codePoints(password) > l.password_max_chars) return `Use at most ${l.password_max_chars} characters.`;
  return null;
}

/** Length as the server counts it: Unicode code points, as JSON Schema's minLength/maxLength do (an emoji is one). */
export function codePoints(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** Characters over the content limit, counted as the server counts them. */
export function contentProblem(content: string, l: ServerLimits): string | null {
  return overLimit(content, l.content_max_chars);
}

/** "12 characters over the 1000-character limit.", counted as the server counts; null within it. */
export function overLimit(text: string, max: number): string | null {
  const over = codePoints(text) - max;
  return over > 0 ? `${over} character${over === 1 ? '' : 's'} over the ${max}-character limit.` : null;
}

/** A pattern the browser cannot compile (another regex dialect) checks nothing: the server decides. */
function matches(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}
