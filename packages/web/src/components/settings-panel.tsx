/**
 * The account (loaded when first opened: lazy-component.ts): your profile, where you are logged in
 * and your password, the accounts elsewhere that log you in (single sign-on), invite links, notifications, the people you block, a download of your data, API tokens, bots and webhooks, and log out here
 * or everywhere (every device and tab of this account).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { navigate } from '../lib/use-route.js';
import { BlockedUsers } from './blocked-users.js';
import { DataExportSettings } from './data-export-settings.js';
import { ApiTokensSettings, BotsSettings } from './integrations-settings.js';
import { InviteSettings } from './invite-settings.js';
import { LinkedAccounts } from './linked-accounts.js';
import { NotificationSettings } from './notification-settings.js';
import { ProfileSettings } from './profile-settings.js';
import { SessionsSettings } from './sessions-settings.js';
import { WebhooksSettings } from './webhook-manager.js';

export function SettingsPanel({ store, onSignedOut }: { store: ChatStore; onSignedOut: () => void }) {
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);

  const logout = (everywhere: boolean) => {
    setBusy(true);
    return store.logout(everywhere).finally(onSignedOut);
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
            Logged in as <strong class="settings__name">@{store.me.username}</strong>.
          </p>
          <div class="form__actions">
            <button type="button" class="button" disabled={busy} onClick={() => void logout(false)}>
              Log out
            </button>
          </div>
        </section>
        <ProfileSettings store={store} />
        <SessionsSettings store={store} onLogOutEverywhere={() => logout(true)} />
        <LinkedAccounts store={store} />
        <InviteSettings store={store} />
        <NotificationSettings store={store} />
        <BlockedUsers store={store} />
        <DataExportSettings store={store} />
        <ApiTokensSettings store={store} />
        <BotsSettings store={store} />
        <WebhooksSettings store={store} />
      </div>
    </section>
  );
}
