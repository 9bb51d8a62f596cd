/**
 * API tokens of one account (yours, or a bot's): the live ones with their scopes and expiry, a
 * form to create one, and its secret shown once after creation with a copy button.
 */
import { SCOPES, type ApiToken, type ApiTokenInput, type CreatedApiToken, type Scope } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { FormError } from './form-error.js';
import { SecretOnce } from './secret-once.js';

export interface TokenSource {
  list(): Promise<ApiToken[]>;
  create(input: ApiTokenInput): Promise<CreatedApiToken>;
  revoke(tokenId: string): Promise<void>;
}

const SCOPE_LABELS: Record<Scope, string> = {
  'messages:read': 'Read conversations and messages',
  'messages:write': 'Send, edit and react',
  'conversations:manage': 'Create conversations and manage members',
  'account:manage': 'Manage settings, tokens and bots',
  'webhooks:manage': 'Manage outgoing webhooks',
  admin: 'Administer the server (admins only)',
};

const EXPIRY_DAYS = [7, 30, 90, 365] as const;

export function TokenManager({ idPrefix, source, defaultScopes }: { idPrefix: string; source: TokenSource; defaultScopes: readonly Scope[] }) {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [created, setCreated] = useState<CreatedApiToken | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = () => source.list().then(setTokens, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), [source]);

  const revoke = (token: ApiToken) => {
    setError(null);
    source.revoke(token.id).then(reload, (e: unknown) => setError(errorText(e)));
  };

  return (
    <div class="tokens" id={`${idPrefix}-tokens`}>
      {tokens === null ? (
        <p class="muted">Loading tokens…</p>
      ) : tokens.length === 0 ? (
        <p class="muted">No tokens yet.</p>
      ) : (
        <ul class="tokens__list" aria-label="Tokens">
          {tokens.map((token) => (
            <li key={token.id} class="tokens__item">
              <span class="tokens__name">{token.name}</span>
              <span class="tokens__meta muted">
                {token.scopes.join(', ')} · {token.expires_at ? `expires ${new Date(token.expires_at).toLocaleDateString()}` : 'never expires'}
              </span>
              <button type="button" class="button button--danger-ghost" aria-label={`Revoke ${token.name}`} onClick={() => revoke(token)}>
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {created ? (
        <SecretOnce secret={created.secret} onDone={() => setCreated(null)}>
          Copy the token <strong>{created.token.name}</strong> now: it will not be shown again.
        </SecretOnce>
      ) : null}
      <NewTokenForm
        idPrefix={idPrefix}
        defaultScopes={defaultScopes}
        onCreate={(input) =>
          source.create(input).then((result) => {
            setCreated(result);
            void reload();
          })
        }
      />
      <FormError error={error} />
    </div>
  );
}

function NewTokenForm({ idPrefix, defaultScopes, onCreate }: { idPrefix: string; defaultScopes: readonly Scope[]; onCreate: (input: ApiTokenInput) => Promise<void> }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([...defaultScopes]);
  const [days, setDays] = useState<number | null>(90);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    if (name.trim() === '' || scopes.length === 0) {
      setError(name.trim() === '' ? 'Give the token a name.' : 'Pick at least one permission.');
      return;
    }
    setBusy(true);
    setError(null);
    const expires_at = days === null ? null : new Date(Date.now() + days * 86_400_000).toISOString();
    onCreate({ name: name.trim(), scopes, expires_at })
      .then(() => setName(''), (e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  const toggle = (scope: Scope, on: boolean) => setScopes((current) => (on ? SCOPES.filter((s) => s === scope || current.includes(s)) : current.filter((s) => s !== scope)));

  return (
    <form class="tokens__form" onSubmit={submit} aria-label="New token">
      <div class="field">
        <label for={`${idPrefix}-token-name`}>Token name</label>
        <input id={`${idPrefix}-token-name`} type="text" maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} placeholder="e.g. CI notifier" />
      </div>
      <fieldset class="settings__fieldset">
        <legend>It may</legend>
        {SCOPES.map((scope) => (
          <label key={scope} class="settings__option">
            <input type="checkbox" checked={scopes.includes(scope)} onChange={(e) => toggle(scope, e.currentTarget.checked)} />
            {SCOPE_LABELS[scope]} <code>{scope}</code>
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for={`${idPrefix}-token-expiry`}>Expires</label>
        <select id={`${idPrefix}-token-expiry`} value={days === null ? 'never' : String(days)} onChange={(e) => setDays(e.currentTarget.value === 'never' ? null : Number(e.currentTarget.value))}>
          {EXPIRY_DAYS.map((d) => (
            <option key={d} value={String(d)}>
              in {d} days
            </option>
          ))}
          <option value="never">never</option>
        </select>
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
