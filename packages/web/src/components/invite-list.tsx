/**
 * Your live invite links (`GET /invites`: not expired, newest first; never their codes): when
 * each was made, how many of its uses are taken and when it expires, and Revoke, which asks
 * first, since a revoked link cannot be brought back.
 */
import type { Invite } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

export function InviteList({ invites, onRevoke }: { invites: Invite[] | null; onRevoke: (invite: Invite) => Promise<void> }) {
  if (invites === null) return <p class="muted">Loading your invite links…</p>;
  if (invites.length === 0) return <p class="muted">You have no live invite links.</p>;
  return (
    <ul class="invites" aria-label="Your invite links">
      {invites.map((invite) => (
        <InviteItem key={invite.id} invite={invite} onRevoke={() => onRevoke(invite)} />
      ))}
    </ul>
  );
}

/** "Made 6 Dec 2026, 10:00": how a person tells their links apart (they have no names). */
function madeLabel(invite: Invite): string {
  return `Made ${new Date(invite.created_at).toLocaleString(undefined, WHEN)}`;
}

function InviteItem({ invite, onRevoke }: { invite: Invite; onRevoke: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirm.current?.focus();
  }, [confirming]);
  const usedUp = invite.uses >= invite.max_uses;
  const made = madeLabel(invite);

  return (
    <li class="invites__item">
      <div class="invites__body">
        <span class="invites__made">
          {made}
          {usedUp ? <span class="tag">Used up</span> : null}
        </span>
        <span class="invites__details muted">
          Used {invite.uses} of {invite.max_uses} {invite.max_uses === 1 ? 'time' : 'times'} · expires {new Date(invite.expires_at).toLocaleString(undefined, WHEN)}
        </span>
      </div>
      {confirming ? (
        <div
          class="settings__confirm invites__confirm"
          role="group"
          aria-label="Confirm revoking this invite link"
          onKeyDown={(e) => {
            if (e.key === 'Escape') setConfirming(false);
          }}
        >
          <p>Revoke this link? Nobody can sign up with it any more; accounts already made with it stay.</p>
          <div class="form__actions">
            <button
              type="button"
              class="button button--danger"
              ref={confirm}
              disabled={busy}
              onClick={() => {
                setBusy(true);
                void onRevoke().finally(() => setBusy(false));
              }}
            >
              {busy ? 'Revoking…' : 'Yes, revoke'}
            </button>
            <button type="button" class="button button--ghost" disabled={busy} onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      ) : (
        <button type="button" class="button button--danger-ghost button--small" aria-label={`Revoke the invite link ${made.toLowerCase()}`} onClick={() => setConfirming(true)}>
          Revoke
        </button>
      )}
    </li>
  );
}
