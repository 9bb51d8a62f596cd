/**
 * What the sign-up and log-in screen offers: the server's `GET /login-options` (docs/API.md,
 * "Registration and invites", "Single sign-on"), fetched once per page load. Null until it answers; if it cannot,
 * sign-up is offered as on an open server and the server's refusal, if any, says why.
 */
import { PneumaticClient, type LoginOptions, type RegistrationPolicy } from '@pneumatic/client';
import { Atom } from './stores/atom.js';

const FALLBACK: LoginOptions = { registration: 'open', password_login: true, providers: [] };

/** The options in force; components read it with `useAtom(loginOptions)`. */
export const loginOptions = new Atom<LoginOptions | null>(null);

let requested = false;

/** Fetches the options once; a failure falls back to an open server and lets a later call try again. */
export function loadLoginOptions(baseUrl: string): void {
  if (requested) return;
  requested = true;
  new PneumaticClient({ baseUrl }).getLoginOptions().then(
    (fetched) => loginOptions.set(fetched),
    () => {
      requested = false;
      if (loginOptions.get() === null) loginOptions.set(FALLBACK);
    },
  );
}

/**
 * A refusal (`invite_required`, `registration_closed`) shows the policy now in force, which may
 * have changed since the page loaded: the screen follows it without a reload.
 */
export function learnRegistration(registration: RegistrationPolicy): void {
  loginOptions.set({ ...(loginOptions.get() ?? FALLBACK), registration });
}
