/** The account: notifications, API tokens, bots and webhooks, and log out here or everywhere (every device and tab of this account). */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { navigate } from '../lib/use-route.js';
import { ApiTokensSettings, BotsSettings } from './integrations-settings.js';
import { NotificationSettings } from './notification-settings.js';
import { WebhooksSettings } from './webhook-manager.js';

export function SettingsPanel({ store, onSignedOut }: { store: ChatStore; onSignedOut: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);

  const logout = (everywhere: boolean) => {
    setBusy(true);
    void store.logout(everywhere).finally(onSignedOut);
  };

  return (
    <section class="panel" aria-labelledby="settings-heading">
      <header class="panel__header">
        <button type="button" class="button button--ghost button--icon back" onClick={() => navigate({ kind: 'home' })} aria-label="Back to conversations">
          ‹
        </button>
        <h2 id="settings-heading" tabIndex={-1} ref={heading}>
          Settings
        </h2>
      </header>
      <div class="panel__body settings">
        <section class="settings__section" aria-labelledby="account-heading">
          <h3 id="account-heading">Account</h3>
          <p class="muted">
            Logged in as <strong class="settings__name">{store.me.username}</strong>.
          </p>
          <div class="form__actions">
            <button type="button" class="button" disabled={busy} onClick={() => logout(false)}>
              Log out
            </button>
          </div>
        </section>
        <NotificationSettings store={store} />
        <ApiTokensSettings store={store} />
        <BotsSettings store={store} />
        <WebhooksSettings store={store} />
        <section class="settings__section" aria-labelledby="sessions-heading">
          <h3 id="sessions-heading">Sessions</h3>
          <p class="muted">Log out of this account on every device and browser, this one included. Use it if you lost a device or left yourself logged in somewhere.</p>
          {confirming ? (
            <div
              class="settings__confirm"
              role="group"
              aria-label="Confirm logging out everywhere"
              onKeyDown={(e) => {
                if (e.key === 'Escape') setConfirming(false);
              }}
            >
              <p>Log out everywhere? Every open tab and device will return to the login screen.</p>
              <div class="form__actions">
                <button type="button" class="button button--danger" ref={confirm} disabled={busy} onClick={() => logout(true)}>
                  {busy ? 'Logging out…' : 'Yes, log out everywhere'}
                </button>
                <button type="button" class="button button--ghost" disabled={busy} onClick={() => setConfirming(false)}>
                  Cancel
                </button>
              </div>
            </div>
          ) : (
            <div class="form__actions">
              <button type="button" class="button button--danger-ghost" onClick={() => setConfirming(true)}>
                Log out everywhere
              </button>
            </div>
          )}
        </section>
      </div>
    </section>
  );
}
