/**
 * Your live invite links (`GET /invites`: not expired, newest first; never their codes): when
 * each was made, how many of its uses are taken and when it expires, and Revoke, which asks
 * first, since a revoked link cannot be brought back.
 */
import type { Invite } from '@pneumatic/client';
import { ConfirmButton } from './confirm-button.js';

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
      <ConfirmButton label="Revoke" ariaLabel={`Revoke the invite link ${made.toLowerCase()}`} groupLabel="Confirm revoking this invite link" yes="Yes, revoke" busy="Revoking…" onConfirm={onRevoke}>
        Revoke this link? Nobody can sign up with it any more; accounts already made with it stay.
      </ConfirmButton>
    </li>
  );
}
