/**
 * Limits on failed logins that slow a password guesser without letting anyone lock an account
 * (OWASP Authentication Cheat Sheet, "Protect against automated attacks"; Credential Stuffing
 * Prevention Cheat Sheet):
 *
 * - per username and client IP together: after `failuresPerClient` failures in 15 minutes that
 *   pair is refused (429 with Retry-After) until the window ends; a success resets it.
 * - per username, from any IP: after `throttleAfter` failures in 15 minutes, each further failure
 *   holds the username for a growing time (1 s, 2 s, 4 s, ... up to `throttleMaxSeconds`), during
 *   which attempts are answered 429 with Retry-After without the password being checked. An IP
 *   that has logged in to this username before (in the last 7 days) is not held: the owner on
 *   their own network logs in while an attacker elsewhere is throttled, and an owner on a new
 *   network waits at most `throttleMaxSeconds`.
 *
 * Nothing here ever locks a username for longer than `throttleMaxSeconds`.
 */
import type { RateLimiter } from '../ports/rate-limiter.js';

export interface LoginGuardSettings {
  /** Failures of one username from one IP in the window before that pair is refused. */
  failuresPerClient: number;
  /** Failures of one username from any IP in the window before further failures hold it. */
  throttleAfter: number;
  /** The longest hold. */
  throttleMaxSeconds: number;
}

/** The keys of one login attempt: the username ignoring case, and the pair with the client IP. */
function keys(username: string, clientIp: string): { user: string; pair: string } {
  const user = username.toLowerCase();
  // A newline cannot occur in a username or an IP, so the pair key is unambiguous.
  return { user, pair: `${user}\n${clientIp}` };
}

export class LoginGuard {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly settings: LoginGuardSettings,
  ) {}

  /** Throws rate_limited (with Retry-After) when this attempt may not be checked now. */
  async beforeAttempt(username: string, clientIp: string): Promise<void> {
    const { user, pair } = keys(username, clientIp);
    await this.limiter.check('login_failures', pair);
    if ((await this.limiter.spent('known_logins', pair)) === 0) await this.limiter.check('login_throttle', user);
  }

  async failed(username: string, clientIp: string): Promise<void> {
    const { user, pair } = keys(username, clientIp);
    await this.limiter.consume('login_failures', pair).catch(() => {});
    const failures = await this.limiter.record('username_login_failures', user);
    const beyond = failures - this.settings.throttleAfter;
    if (beyond > 0) {
      const seconds = Math.min(2 ** Math.min(beyond - 1, 30), this.settings.throttleMaxSeconds);
      await this.limiter.block('login_throttle', user, seconds);
    }
  }

  async succeeded(username: string, clientIp: string): Promise<void> {
    const { pair } = keys(username, clientIp);
    await this.limiter.reset('login_failures', pair);
    await this.limiter.record('known_logins', pair);
  }
}
