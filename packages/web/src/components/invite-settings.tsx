/**
 * Settings → Invite people (docs/API.md, "Invite links"): make a link that lets up to a chosen
 * number of people sign up within a day, a week or a month. The link is shown this once (the
 * server keeps only a hash of its code); your live links follow with their uses and expiry, each
 * revocable. Hidden on a server closed to sign-ups, which makes no invites.
 */
import type { CreatedInvite, Invite, InviteInput } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { inviteLink } from '../lib/invite-link.js';
import { loadLoginOptions, loginOptions } from '../lib/login-options.js';
import { useAtom } from '../lib/use-atom.js';
import { FormError } from './form-error.js';
import { InviteList } from './invite-list.js';
import { SecretOnce } from './secret-once.js';

const DAY_SECONDS = 86_400;
const EXPIRY_DAYS = [1, 7, 30] as const;
const USES = [1, 5, 25, 100] as const;

export function InviteSettings({ store }: { store: ChatStore }) {
  const options = useAtom(loginOptions);
  useEffect(() => loadLoginOptions(location.origin), []);
  if (options === null || options.registration === 'closed') return null;
  return <InvitesSection store={store} needed={options.registration === 'invite'} />;
}

function InvitesSection({ store, needed }: { store: ChatStore; needed: boolean }) {
  const [invites, setInvites] = useState<Invite[] | null>(null);
  const [created, setCreated] = useState<CreatedInvite | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => store.client.listInvites().then(setInvites, (e: unknown) => setError(errorText(e)));
  useEffect(() => void reload(), [store]);

  const create = async (input: InviteInput) => {
    setNotice(null);
    setCreated(await store.client.createInvite(input));
    await reload();
  };
  const revoke = async (invite: Invite) => {
    setError(null);
    setNotice(null);
    try {
      await store.client.revokeInvite(invite.id);
      setNotice('Invite link revoked: it no longer works. Accounts made with it stay.');
    } catch (e) {
      setError(errorText(e));
    }
    await reload();
  };

  return (
    <section class="settings__section" aria-labelledby="invites-heading">
      <h3 id="invites-heading">Invite people</h3>
      <p class="muted">
        {needed ? 'Signing up on this server needs an invite link. ' : ''}Anyone with a link you make can create an account until it expires or has been used as many times as
        you allow.
      </p>
      <NewInviteForm onCreate={create} />
      {created ? (
        <SecretOnce secret={inviteLink(location.origin, created.path)} onDone={() => setCreated(null)}>
          Copy this link and send it to the people you invite. It is shown this once: the server keeps no copy of it.
        </SecretOnce>
      ) : null}
      <InviteList invites={invites} onRevoke={revoke} />
      <p class="invites__notice" role="status">
        {notice ?? ''}
      </p>
      <FormError error={error} />
    </section>
  );
}

function NewInviteForm({ onCreate }: { onCreate: (input: InviteInput) => Promise<void> }) {
  const [days, setDays] = useState<number>(7);
  const [uses, setUses] = useState<number>(1);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    onCreate({ expires_in_seconds: days * DAY_SECONDS, max_uses: uses })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };

  return (
    <form class="invites__form" onSubmit={submit} aria-label="New invite link">
      <div class="field">
        <label for="invite-expiry">Expires after</label>
        <select id="invite-expiry" value={String(days)} onChange={(e) => setDays(Number(e.currentTarget.value))}>
          {EXPIRY_DAYS.map((d) => (
            <option key={d} value={String(d)}>
              {d === 1 ? '1 day' : `${d} days`}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="invite-uses">Can be used</label>
        <select id="invite-uses" value={String(uses)} onChange={(e) => setUses(Number(e.currentTarget.value))}>
          {USES.map((n) => (
            <option key={n} value={String(n)}>
              {n === 1 ? 'once' : `${n} times`}
            </option>
          ))}
        </select>
      </div>
      <div class="form__actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Making the link…' : 'Make invite link'}
        </button>
      </div>
      <FormError error={error} />
    </form>
  );
}
