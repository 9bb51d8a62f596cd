/**
 * Sign up or log in, as the server allows (`GET /login-options`, docs/API.md "Registration and
 * invites"): on an open server one form with two buttons; where signing up needs an invite, the
 * sign-up form (with the invite code) or the log-in form, one at a time, sign-up first and the
 * code filled in when the page is an invite link (`#/invite/<code>`); on a closed server, log-in
 * only. Errors go under the field they concern. Single sign-on providers (docs/API.md, "Single
 * sign-on") each have a button; back from one with `#/sso/<login_code>`, the code is exchanged for
 * a session; without password login (`password_login: false`) they are the only way in.
 * `notice` says why the app came back here on its own (a deactivated account), until the next try.
 */
import { PneumaticError, PneumaticClient } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { StoredAuth } from '../lib/auth-storage.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { inviteCodeIn } from '../lib/invite-link.js';
import { limits, passwordProblem, usernameHint, usernameProblem } from '../lib/limits.js';
import { learnRegistration, loadLoginOptions, loginOptions } from '../lib/login-options.js';
import { useAtom } from '../lib/use-atom.js';
import { useRoute } from '../lib/use-route.js';
import { AuthLead, AuthSwitch, ClosedNote, type AuthLayout, type AuthMode } from './auth-choices.js';
import { Field, FormError } from './field.js';
import { OrDivider, SsoButtons, useSsoLogin } from './sso-login.js';

const NO_ERRORS: FormErrors = { fields: {}, form: null };
const FIELDS = { username: 'username', password: 'password', invite: 'invite' };
/** The fields in screen order: the first with an error gets focus. */
const FIELD_ORDER = ['invite', 'username', 'password'] as const;

export function AuthScreen({ notice = null, onAuthenticated }: { notice?: string | null; onAuthenticated: (auth: StoredAuth) => void }) {
  const route = useRoute();
  const linkCode = route.kind === 'invite' ? route.code : null;
  const ssoCode = route.kind === 'sso' ? route.code : null;
  const options = useAtom(loginOptions);
  const registration = options?.registration ?? null;
  const passwordLogin = options?.password_login ?? true;
  const providers = options?.providers ?? [];
  // Until the options arrive, an open server's form (the v1 screen), or an invite link's.
  const layout: AuthLayout = registration === 'closed' ? 'login' : registration === 'invite' || linkCode ? 'separate' : 'both';
  const [shown, setShown] = useState<AuthMode>(linkCode ? 'signup' : 'login');
  const [invite, setInvite] = useState(linkCode ?? '');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState<AuthMode | null>(null);
  const [noticeShown, setNoticeShown] = useState(true);
  const sso = useSsoLogin(ssoCode, onAuthenticated);
  // Focus moves after the render that shows the field (the invite field may be new in it).
  const [focus, setFocus] = useState<{ field: (typeof FIELD_ORDER)[number] } | null>(null);
  const refs = { invite: useRef<HTMLInputElement>(null), username: useRef<HTMLInputElement>(null), password: useRef<HTMLInputElement>(null) };
  const l = useAtom(limits);

  useEffect(() => loadLoginOptions(location.origin), []);
  // An invite link opened while this screen is up (pasted into the address bar) brings its code.
  useEffect(() => {
    if (!linkCode) return;
    setInvite(linkCode);
    setShown('signup');
  }, [linkCode]);
  useEffect(() => {
    if (focus) refs[focus.field].current?.focus();
  }, [focus]);

  const signingUpWithInvite = layout === 'separate' && shown === 'signup';
  const showError = (next: FormErrors) => {
    setErrors(next);
    const field = FIELD_ORDER.find((name) => name in next.fields);
    if (field) setFocus({ field });
  };

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    if (busy) return;
    const mode: AuthMode = (event.submitter as HTMLButtonElement | null)?.value === 'signup' ? 'signup' : 'login';
    const code = mode === 'signup' && signingUpWithInvite ? inviteCodeIn(invite) : '';
    const fields: Record<string, string> = {};
    if (mode === 'signup' && signingUpWithInvite && registration === 'invite' && !code) fields.invite = 'Enter the invite code from your invite link.';
    const userError = mode === 'signup' ? usernameProblem(username, l) : username ? null : 'Enter your username.';
    const passError = passwordProblem(password, mode === 'signup', l);
    if (userError) fields.username = userError;
    if (passError) fields.password = passError;
    if (Object.keys(fields).length > 0) return showError({ fields, form: null });
    setBusy(mode);
    setErrors(NO_ERRORS);
    setNoticeShown(false);
    sso.setError(null);
    const client = new PneumaticClient({ baseUrl: location.origin });
    try {
      const result = mode === 'signup' ? await client.register(username, password, code ? { invite: code } : {}) : await client.login(username, password);
      onAuthenticated({ token: result.token, user: result.user });
    } catch (error) {
      // The server's policy may have changed since the page loaded: show the form it now wants.
      if (error instanceof PneumaticError && error.code === 'invite_required') {
        learnRegistration('invite');
        setShown('signup');
      }
      if (error instanceof PneumaticError && error.code === 'registration_closed') learnRegistration('closed');
      showError(describeError(error, FIELDS));
      setBusy(null);
    }
  };

  const switchTo = (mode: AuthMode) => {
    setShown(mode);
    setErrors(NO_ERRORS);
  };
  const signingUp = layout === 'both' || signingUpWithInvite;
  const showSso = providers.length > 0 && !signingUpWithInvite;

  return (
    <main class="auth">
      <div class="auth__card">
        <div class="brand brand--large">
          <span class="brand__mark" aria-hidden="true">
            P
          </span>
          <span>Pneumatic</span>
        </div>
        <h1 class="auth__title">{signingUpWithInvite ? 'Create your account' : 'Welcome'}</h1>
        <AuthLead layout={layout} shown={shown} fromLink={linkCode !== null} ssoOnly={passwordLogin ? null : providers} />
        <FormError message={noticeShown ? notice : null} />
        <p class="sso__status" role="status">
          {sso.exchanging ? 'Logging you in…' : ''}
        </p>
        <FormError message={sso.error} />
        {showSso ? <SsoButtons providers={providers} primary={!passwordLogin} disabled={busy !== null || sso.exchanging} onError={sso.setError} /> : null}
        {showSso && passwordLogin ? <OrDivider /> : null}
        {passwordLogin ? (
          <>
            <form class="auth__form" onSubmit={(e) => void submit(e as unknown as SubmitEvent)} noValidate>
              {signingUpWithInvite ? (
                <Field
                  id="auth-invite"
                  label="Invite code"
                  ref={refs.invite}
                  value={invite}
                  onInput={(e) => setInvite(e.currentTarget.value)}
                  autocomplete="off"
                  autocapitalize="none"
                  spellcheck={false}
                  required={registration === 'invite'}
                  hint="From your invite link: it starts with pni_. You may paste the whole link."
                  error={errors.fields.invite}
                />
              ) : null}
              <Field
                id="auth-username"
                label="Username"
                ref={refs.username}
                value={username}
                onInput={(e) => setUsername(e.currentTarget.value)}
                autocomplete="username"
                autocapitalize="none"
                spellcheck={false}
                hint={signingUp ? usernameHint(l) : null}
                error={errors.fields.username}
              />
              <Field
                id="auth-password"
                label="Password"
                ref={refs.password}
                type="password"
                value={password}
                onInput={(e) => setPassword(e.currentTarget.value)}
                autocomplete={signingUpWithInvite ? 'new-password' : 'current-password'}
                hint={signingUp ? `At least ${l.password_min_chars} characters.` : null}
                error={errors.fields.password}
              />
              <FormError message={errors.form} />
              <div class={`auth__actions${layout === 'both' ? '' : ' auth__actions--single'}`}>
                {signingUpWithInvite ? null : (
                  <button type="submit" name="mode" value="login" class="button button--primary" disabled={busy !== null || sso.exchanging}>
                    {busy === 'login' ? 'Logging in…' : 'Log in'}
                  </button>
                )}
                {signingUp ? (
                  <button type="submit" name="mode" value="signup" class={`button${signingUpWithInvite ? ' button--primary' : ''}`} disabled={busy !== null || sso.exchanging}>
                    {busy === 'signup' ? 'Signing up…' : 'Sign up'}
                  </button>
                ) : null}
              </div>
            </form>
            {layout === 'separate' ? <AuthSwitch shown={shown} disabled={busy !== null || sso.exchanging} onSwitch={switchTo} /> : null}
            {layout === 'login' ? <ClosedNote /> : null}
          </>
        ) : null}
      </div>
    </main>
  );
}
