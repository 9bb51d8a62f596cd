/**
 * Settings → Change password (docs/API.md, "Password and sessions"): the current password and a
 * new one. Every other login of the account is logged out by it (their pages return to the
 * login screen); this one stays, and so do API tokens.
 */
import { useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { describeError, type FormErrors } from '../lib/errors.js';
import { limits, passwordProblem } from '../lib/limits.js';
import { useAtom } from '../lib/use-atom.js';
import { Field, FormError } from './field.js';

const NO_ERRORS: FormErrors = { fields: {}, form: null };

export function PasswordForm({ store, onChanged }: { store: ChatStore; onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const currentRef = useRef<HTMLInputElement>(null);
  const nextRef = useRef<HTMLInputElement>(null);
  const l = useAtom(limits);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setNotice(null);
    const fields: Record<string, string> = {};
    if (current.length === 0) fields.current_password = 'Enter your current password.';
    const nextError = passwordProblem(next, true, l);
    if (nextError) fields.new_password = nextError === 'Enter a password.' ? 'Enter a new password.' : nextError;
    if (Object.keys(fields).length > 0) return fail({ fields, form: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await store.client.changePassword(current, next);
      setCurrent('');
      setNext('');
      setNotice('Password changed. Your other sessions are logged out.');
      onChanged();
    } catch (error) {
      fail(describeError(error, { current_password: 'current_password', new_password: 'new_password' }));
    } finally {
      setBusy(false);
    }
  };

  function fail(next: FormErrors) {
    setErrors(next);
    if (next.fields.current_password) currentRef.current?.focus();
    else if (next.fields.new_password) nextRef.current?.focus();
  }

  return (
    <form class="form password-form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="password-heading" aria-describedby="password-note">
      <h4 id="password-heading">Change password</h4>
      <p id="password-note" class="muted">
        Changing your password logs you out everywhere else: your other browsers and devices return to the login screen. You stay logged in here, and your API tokens keep
        working.
      </p>
      {/* For password managers: the account the new password belongs to. */}
      <input type="text" name="username" autocomplete="username" value={store.me.username} hidden readOnly />
      <Field id="current-password" label="Current password" type="password" ref={currentRef} value={current} onInput={(e) => setCurrent(e.currentTarget.value)} autocomplete="current-password" error={errors.fields.current_password} />
      <Field
        id="new-password"
        label="New password"
        type="password"
        ref={nextRef}
        value={next}
        onInput={(e) => setNext(e.currentTarget.value)}
        autocomplete="new-password"
        hint={`${l.password_min_chars} to ${l.password_max_chars} characters.`}
        error={errors.fields.new_password}
      />
      <FormError message={errors.form} />
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
        <span class="password-form__notice" role="status">
          {notice ?? ''}
        </span>
      </div>
    </form>
  );
}
