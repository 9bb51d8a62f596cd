/**
 * Settings → Where you're logged in (docs/API.md, "Password and sessions"): every login of the
 * account with what it was last used from (browser and system, an approximate network) and when;
 * "This device" marks this one. Revoke logs one other login out at once (its pages return to the
 * login screen); changing the password logs out all of them; "Log out everywhere" this one too.
 * No password form where passwords do not log in (`password_login: false`, single sign-on only),
 * nor for an account made by single sign-on (it has no password to change).
 */
import type { LoginSession } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { loadLoginOptions, loginOptions } from '../lib/login-options.js';
import { lastSeenAgo } from '../lib/presence-text.js';
import { useAtom } from '../lib/use-atom.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './form-error.js';
import { PasswordForm } from './password-form.js';

export function SessionsSettings({ store, onLogOutEverywhere }: { store: ChatStore; onLogOutEverywhere: () => Promise<void> }) {
  const [sessions, setSessions] = useState<LoginSession[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => store.client.listSessions().then(setSessions, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), [store]);
  const options = useAtom(loginOptions);
  const [hasPassword, setHasPassword] = useState(true);
  useEffect(() => loadLoginOptions(location.origin), []);
  // Only a server with single sign-on has accounts without a password.
  const sso = (options?.providers.length ?? 0) > 0;
  useEffect(() => {
    if (sso) void store.client.listIdentities().then((list) => setHasPassword(list.has_password), () => {});
  }, [store, sso]);
  const passwordLogin = options?.password_login !== false && hasPassword;

  const revoke = async (session: LoginSession) => {
    setError(null);
    setNotice(null);
    try {
      await store.client.revokeSession(session.id);
      setNotice(`Logged out ${describe(session)}.`);
    } catch (e) {
      setError(errorText(e));
    }
    await reload();
  };

  return (
    <section class="settings__section" aria-labelledby="sessions-heading">
      <h3 id="sessions-heading">Where you’re logged in</h3>
      <p class="muted">Each browser or app you logged in with. Log out one you do not recognise or no longer use; API tokens are listed under API tokens.</p>
      {sessions === null ? null : (
        <ul class="sessions" aria-label="Your sessions">
          {sessions.map((session) => (
            <SessionItem key={session.id} session={session} onRevoke={() => revoke(session)} />
          ))}
        </ul>
      )}
      <p class="sessions__notice" role="status">
        {notice ?? ''}
      </p>
      <FormError error={error} />
      {passwordLogin ? <PasswordForm store={store} onChanged={() => void reload()} /> : null}
      <LogOutEverywhere onConfirm={onLogOutEverywhere} />
    </section>
  );
}

/** "Firefox 133 on Linux", or words for a client that said nothing recognisable. */
function describe(session: LoginSession): string {
  return session.client ?? 'an unknown browser or app';
}

function SessionItem({ session, onRevoke }: { session: LoginSession; onRevoke: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const now = new Date();
  const used = session.current ? 'Active now' : `Last used ${lastSeenAgo(session.last_used_at, now)}`;
  return (
    <li class={`sessions__item${session.current ? ' sessions__item--current' : ''}`}>
      <div class="sessions__body">
        <span class="sessions__client">
          {session.client ?? 'Unknown browser or app'}
          {session.current ? <span class="tag sessions__this">This device</span> : null}
        </span>
        <span class="sessions__details muted">
          {used} · {session.ip ? `from ${session.ip}` : 'address unknown'} · logged in {lastSeenAgo(session.created_at, now)}
        </span>
      </div>
      {session.current ? null : (
        <button
          type="button"
          class="button button--danger-ghost button--small"
          disabled={busy}
          aria-label={`Revoke ${describe(session)}, ${used.toLowerCase()}`}
          onClick={() => {
            setBusy(true);
            void onRevoke().finally(() => setBusy(false));
          }}
        >
          {busy ? 'Revoking…' : 'Revoke'}
        </button>
      )}
    </li>
  );
}

/** Logs out every login of the account, this one included, after a confirmation. */
function LogOutEverywhere({ onConfirm }: { onConfirm: () => Promise<void> }) {
  return (
    <div class="form__actions">
      <ConfirmButton
        label="Log out everywhere"
        class="button button--danger-ghost"
        groupLabel="Confirm logging out everywhere"
        yes="Yes, log out everywhere"
        busy="Logging out…"
        onConfirm={onConfirm}
      >
        Log out everywhere? Every open tab and device will return to the login screen, this one included.
      </ConfirmButton>
    </div>
  );
}
