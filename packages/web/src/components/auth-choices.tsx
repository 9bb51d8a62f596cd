/**
 * The words around the sign-up and log-in form that change with what the server allows
 * (docs/API.md, "Registration and invites"): the lead, the way between the sign-up and log-in
 * forms when signing up needs an invite, and the note of a server closed to sign-ups.
 */
import type { LoginProvider } from '@pneumatic/client';

export type AuthMode = 'login' | 'signup';
/** `both`: one form, log in or sign up (open); `separate`: sign-up with an invite code, or log-in; `login`: no sign-up (closed). */
export type AuthLayout = 'both' | 'separate' | 'login';

/** `ssoOnly`: the providers, when they are the only way in (no password login); null otherwise. */
export function AuthLead({ layout, shown, fromLink, ssoOnly }: { layout: AuthLayout; shown: AuthMode; fromLink: boolean; ssoOnly: readonly LoginProvider[] | null }) {
  if (ssoOnly) return <p class="auth__lead">{ssoLead(ssoOnly)}</p>;
  let text = 'Log in with your username and password.';
  if (layout === 'both') text = 'Log in, or pick a username and password to create an account.';
  else if (layout === 'separate' && shown === 'signup') {
    text = fromLink ? 'You have been invited. Pick a username and password to create your account.' : 'Signing up here needs an invite code from someone already on this server.';
  }
  return <p class="auth__lead">{text}</p>;
}

export function AuthSwitch({ shown, disabled, onSwitch }: { shown: AuthMode; disabled: boolean; onSwitch: (mode: AuthMode) => void }) {
  return (
    <p class="auth__switch">
      {shown === 'signup' ? 'Already have an account?' : 'Have an invite?'}{' '}
      <button type="button" class="button button--ghost button--small" disabled={disabled} onClick={() => onSwitch(shown === 'signup' ? 'login' : 'signup')}>
        {shown === 'signup' ? 'Log in instead' : 'Sign up with an invite'}
      </button>
    </p>
  );
}

export function ClosedNote() {
  return <p class="auth__switch">Accounts on this server are made by its administrators: ask them for one.</p>;
}

function ssoLead(providers: readonly LoginProvider[]): string {
  if (providers.length === 0) return 'This server offers no way to log in yet: ask its administrators.';
  return providers.length === 1 ? `Log in with your ${providers[0]!.name} account.` : 'Log in with one of these accounts.';
}
