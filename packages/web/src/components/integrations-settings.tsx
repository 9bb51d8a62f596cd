/**
 * Settings → API tokens and Bots (docs/API.md, "API tokens and scopes", "Bots"): your own tokens
 * for scripts, and the bots you own with theirs.
 */
import type { Bot } from '@pneumatic/client';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { TokenManager, type TokenSource } from './token-manager.js';
import { FormError } from './form-error.js';

export function ApiTokensSettings({ store }: { store: ChatStore }) {
  const source = useMemo<TokenSource>(
    () => ({ list: () => store.client.listApiTokens(), create: (input) => store.client.createApiToken(input), revoke: (id) => store.client.revokeApiToken(id) }),
    [store],
  );
  return (
    <section class="settings__section" aria-labelledby="tokens-heading">
      <h3 id="tokens-heading">API tokens</h3>
      <p class="muted">Tokens let scripts and integrations use your account with only the permissions you pick. Revoke one to stop it at once.</p>
      <TokenManager idPrefix="own" source={source} defaultScopes={['messages:read']} />
    </section>
  );
}

export function BotsSettings({ store }: { store: ChatStore }) {
  const [bots, setBots] = useState<Bot[] | null>(null);
  const [username, setUsername] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const reload = () => store.client.listBots().then(setBots, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), [store]);

  const create = (event: Event) => {
    event.preventDefault();
    if (username.trim() === '') return setError('Give the bot a username.');
    setBusy(true);
    setError(null);
    store.client
      .createBot(username.trim())
      .then(() => {
        setUsername('');
        return reload();
      }, (e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };

  return (
    <section class="settings__section" aria-labelledby="bots-heading">
      <h3 id="bots-heading">Bots</h3>
      <p class="muted">A bot is an account a program runs: add it to conversations like anyone, and give it a token to sign in with.</p>
      {bots === null ? null : bots.length === 0 ? (
        <p class="muted">You have no bots.</p>
      ) : (
        <ul class="bots__list" aria-label="Your bots">
          {bots.map((bot) => (
            <BotItem key={bot.user.id} store={store} bot={bot} />
          ))}
        </ul>
      )}
      <form class="bots__form" onSubmit={create} aria-label="New bot">
        <div class="field">
          <label for="new-bot-username">Bot username</label>
          <input id="new-bot-username" type="text" autocapitalize="none" spellcheck={false} value={username} onInput={(e) => setUsername(e.currentTarget.value)} />
        </div>
        <div class="form__actions">
          <button type="submit" class="button" disabled={busy}>
            {busy ? 'Creating…' : 'Create bot'}
          </button>
        </div>
      </form>
      <FormError error={error} />
    </section>
  );
}

function BotItem({ store, bot }: { store: ChatStore; bot: Bot }) {
  const [open, setOpen] = useState(false);
  const source = useMemo<TokenSource>(
    () => ({
      list: () => store.client.listBotTokens(bot.user.id),
      create: (input) => store.client.createBotToken(bot.user.id, input),
      revoke: (id) => store.client.revokeBotToken(bot.user.id, id),
    }),
    [store, bot.user.id],
  );
  return (
    <li class="bots__item">
      <span class="bots__name">
        {bot.user.username} <span class="badge">bot</span>
      </span>
      <button type="button" class="button button--ghost" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? 'Hide tokens' : 'Tokens'}
      </button>
      {open ? <TokenManager idPrefix={`bot-${bot.user.id}`} source={source} defaultScopes={['messages:read', 'messages:write']} /> : null}
    </li>
  );
}
