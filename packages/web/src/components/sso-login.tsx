/**
 * The log-in screen's single sign-on (docs/API.md, "Single sign-on"): one "Log in with <name>"
 * button per provider the server offers (`GET /login-options`); a click sends the browser to the
 * provider's page, which sends it back with a login code that the screen exchanges.
 */
import { PneumaticClient, type LoginProvider } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { StoredAuth } from '../lib/auth-storage.js';
import { describeError } from '../lib/errors.js';
import { goToProvider } from '../lib/sso.js';
import { replaceRoute } from '../lib/use-route.js';

/** What went wrong, in words for the log-in screen. */
const failure = (error: unknown): string => describeError(error).form ?? 'Something went wrong. Please try again.';

/**
 * Exchanges the login code the page came back with (`#/sso/<login_code>`) for a session. The code
 * is single use: it leaves the address bar and the history at once, whatever the server answers.
 */
export function useSsoLogin(code: string | null, onAuthenticated: (auth: StoredAuth) => void) {
  const [exchanging, setExchanging] = useState(code !== null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!code) return;
    replaceRoute({ kind: 'home' });
    setExchanging(true);
    setError(null);
    new PneumaticClient({ baseUrl: location.origin }).loginWithSsoCode(code).then(
      (result) => onAuthenticated({ token: result.token, user: result.user }),
      (failed: unknown) => {
        setExchanging(false);
        setError(failure(failed));
      },
    );
  }, [code]);
  return { exchanging, error, setError: (failed: unknown) => setError(failed === null ? null : failure(failed)) };
}

/** `primary`: the providers are the only way in (no password login), so their buttons lead. */
export function SsoButtons({ providers, primary, disabled, onError }: { providers: readonly LoginProvider[]; primary: boolean; disabled: boolean; onError: (error: unknown) => void }) {
  const [going, setGoing] = useState<string | null>(null);
  // Back from the provider's page may restore this page as it was left (bfcache): usable again.
  useEffect(() => {
    const reset = (event: PageTransitionEvent) => event.persisted && setGoing(null);
    window.addEventListener('pageshow', reset);
    return () => window.removeEventListener('pageshow', reset);
  }, []);

  const start = (provider: LoginProvider) => {
    setGoing(provider.id);
    goToProvider(new PneumaticClient({ baseUrl: location.origin }), provider.id).catch((error: unknown) => {
      setGoing(null);
      onError(error);
    });
  };

  return (
    <div class="sso" role="group" aria-label="Single sign-on">
      {providers.map((provider) => (
        <button key={provider.id} type="button" class={`button button--block${primary ? ' button--primary' : ''}`} disabled={disabled || going !== null} onClick={() => start(provider)}>
          {going === provider.id ? `Going to ${provider.name}…` : `Log in with ${provider.name}`}
        </button>
      ))}
    </div>
  );
}

/** Between the single sign-on buttons and the password form. */
export function OrDivider() {
  return (
    <p class="sso__or">
      <span>or</span>
    </p>
  );
}
