/**
 * Settings → Linked accounts (docs/API.md, "Single sign-on"): the single sign-on providers
 * linked to this account, each with Unlink, and "Link <name>" for each provider the server offers
 * that is not linked yet: the provider's page, then back here (`#/sso-linked/<provider>`), where
 * the link is confirmed once. Hidden when the server offers no provider and none is linked.
 */
import { PneumaticError, type LinkedIdentity, type LoginProvider } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { loadLoginOptions, loginOptions } from '../lib/login-options.js';
import { lastSeenAgo } from '../lib/presence-text.js';
import { goToProvider, justLinked } from '../lib/sso.js';
import { useAtom } from '../lib/use-atom.js';
import { FormError } from './form-error.js';

export function LinkedAccounts({ store }: { store: ChatStore }) {
  const providers = useAtom(loginOptions)?.providers ?? [];
  const [identities, setIdentities] = useState<LinkedIdentity[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The provider the page came back from linking, confirmed once: taken, so a later visit says nothing.
  const [linked] = useState(() => {
    const provider = justLinked.get();
    justLinked.set(null);
    return provider;
  });
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => store.client.listIdentities().then((list) => setIdentities(list.identities), (e: unknown) => setError(errorText(e)));
  useEffect(() => loadLoginOptions(location.origin), []);
  useEffect(() => void reload(), [store]);

  const nameOf = (id: string) => identities?.find((i) => i.provider === id)?.provider_name ?? providers.find((p) => p.id === id)?.name ?? id;
  const unlink = async (identity: LinkedIdentity) => {
    setError(null);
    setNotice(null);
    try {
      await store.client.unlinkIdentity(identity.provider);
      setNotice(`${identity.provider_name} unlinked: it no longer logs you in.`);
    } catch (e) {
      setError(unlinkError(e, identity.provider_name));
    }
    await reload();
  };
  const link = (provider: LoginProvider) => goToProvider(store.client, provider.id, { link: true }).catch((e: unknown) => setError(errorText(e)));

  if (identities === null || (providers.length === 0 && identities.length === 0)) return error ? <FormError error={error} /> : null;
  const unlinked = providers.filter((p) => !identities.some((i) => i.provider === p.id));
  const shown = notice ?? (linked ? `${nameOf(linked)} linked: you can now log in with it.` : '');
  return (
    <section class="settings__section" aria-labelledby="identities-heading">
      <h3 id="identities-heading">Linked accounts</h3>
      <p class="muted">Accounts elsewhere that log you in here (single sign-on). Unlink one and it no longer does.</p>
      {identities.length === 0 ? (
        <p class="muted">No accounts linked yet.</p>
      ) : (
        <ul class="identities" aria-label="Your linked accounts">
          {identities.map((identity) => (
            <IdentityItem key={identity.provider} identity={identity} onUnlink={() => unlink(identity)} />
          ))}
        </ul>
      )}
      <p class="identities__notice" role="status">
        {shown}
      </p>
      <FormError error={error} />
      {unlinked.length > 0 ? (
        <div class="identities__links">
          {unlinked.map((provider) => (
            <LinkButton key={provider.id} provider={provider} onLink={() => link(provider)} />
          ))}
        </div>
      ) : null}
    </section>
  );
}

function unlinkError(error: unknown, name: string): string {
  if (error instanceof PneumaticError && error.code === 'last_login_method') return `${name} stays linked: it is the only way to log in to this account, which has no password.`;
  return errorText(error);
}

function IdentityItem({ identity, onUnlink }: { identity: LinkedIdentity; onUnlink: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <li class="identities__item">
      <div class="identities__body">
        <span class="identities__name">{identity.provider_name}</span>
        <span class="identities__details muted">
          {identity.email ? `${identity.email} · ` : ''}linked {lastSeenAgo(identity.linked_at, new Date())}
        </span>
      </div>
      <button
        type="button"
        class="button button--danger-ghost button--small"
        disabled={busy}
        aria-label={`Unlink ${identity.provider_name}`}
        onClick={() => {
          setBusy(true);
          void onUnlink().finally(() => setBusy(false));
        }}
      >
        {busy ? 'Unlinking…' : 'Unlink'}
      </button>
    </li>
  );
}

/** Goes to the provider's page; the button stays busy until the browser leaves (or the server refuses). */
function LinkButton({ provider, onLink }: { provider: LoginProvider; onLink: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      class="button"
      disabled={busy}
      onClick={() => {
        setBusy(true);
        void onLink().finally(() => setBusy(false));
      }}
    >
      {busy ? `Going to ${provider.name}…` : `Link ${provider.name}`}
    </button>
  );
}
