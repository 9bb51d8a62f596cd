/** Sign up or log in: one form, two buttons, errors under the field they concern. */
import { PneumaticClient } from '@pneumatic/client';
import { useRef, useState } from 'preact/hooks';
import type { StoredAuth } from '../lib/auth-storage.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { limits, passwordProblem, usernameHint, usernameProblem } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { Field, FormError } from './field.js';

type Mode = 'login' | 'signup';

const NO_ERRORS: FormErrors = { fields: {}, form: null };
const FIELDS = { username: 'username', password: 'password' };

export function AuthScreen({ onAuthenticated }: { onAuthenticated: (auth: StoredAuth) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState<Mode | null>(null);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const l = useAtom(limits);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const mode: Mode = (event.submitter as HTMLButtonElement | null)?.value === 'signup' ? 'signup' : 'login';
    const fields: Record<string, string> = {};
    const userError = mode === 'signup' ? usernameProblem(username, l) : username ? null : 'Enter your username.';
    const passError = passwordProblem(password, mode === 'signup', l);
    if (userError) fields.username = userError;
    if (passError) fields.password = passError;
    if (userError || passError) {
      setErrors({ fields, form: null });
      (userError ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setBusy(mode);
    setErrors(NO_ERRORS);
    const client = new PneumaticClient({ baseUrl: location.origin });
    try {
      const result = mode === 'signup' ? await client.register(username, password) : await client.login(username, password);
      onAuthenticated({ token: result.token, user: result.user });
    } catch (error) {
      const next = describeError(error, FIELDS);
      setErrors(next);
      setBusy(null);
      if (next.fields.username) usernameRef.current?.focus();
      else if (next.fields.password) passwordRef.current?.focus();
    }
  };

  return (
    <main class="auth">
      <div class="auth__card">
        <div class="brand brand--large">
          <span class="brand__mark" aria-hidden="true">
            P
          </span>
          <span>Pneumatic</span>
        </div>
        <h1 class="auth__title">Welcome</h1>
        <p class="auth__lead">Log in, or pick a username and password to create an account.</p>
        <form class="auth__form" onSubmit={(e) => void submit(e as unknown as SubmitEvent)} noValidate>
          <Field
            id="auth-username"
            label="Username"
            ref={usernameRef}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            hint={usernameHint(l)}
            error={errors.fields.username}
          />
          <Field
            id="auth-password"
            label="Password"
            ref={passwordRef}
            type="password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            autocomplete="current-password"
            hint={`At least ${l.password_min_chars} characters.`}
            error={errors.fields.password}
          />
          <FormError message={errors.form} />
          <div class="auth__actions">
            <button type="submit" name="mode" value="login" class="button button--primary" disabled={busy !== null}>
              {busy === 'login' ? 'Logging in…' : 'Log in'}
            </button>
            <button type="submit" name="mode" value="signup" class="button" disabled={busy !== null}>
              {busy === 'signup' ? 'Signing up…' : 'Sign up'}
            </button>
          </div>
        </form>
      </div>
    </main>
  );
}
