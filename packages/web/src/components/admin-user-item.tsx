/**
 * One user in Administration → Users: names, role and account state as badges, and the changes
 * an admin makes: their role (admin or member) and their account (deactivate, after a
 * confirmation, since it logs them out everywhere at once; reactivate), and removing their
 * messages (message-removal-dialog.tsx, opened by admin-users.tsx). A refusal shows the
 * server's reason under the row (`last_admin`: the server must keep an active admin).
 */
import type { AdminUser, AdminUserPatch } from '@pneumatic/client';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../lib/errors.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './form-error.js';

const WHEN: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

interface AdminUserItemProps {
  user: AdminUser;
  /** The row is yours. */
  self: boolean;
  /** Rejects with the server's refusal. */
  onChange: (patch: AdminUserPatch) => Promise<void>;
  /** Opens "Remove messages…" for them. */
  onRemoveMessages: () => void;
}

/** The id of a user's "Remove messages…" button: focus returns to it when the dialog closes. */
export function removeMessagesButtonId(userId: string): string {
  return `remove-messages-${userId}`;
}

export function AdminUserItem({ user, self, onChange, onRemoveMessages }: AdminUserItemProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const actions = useRef<HTMLDivElement>(null);
  // Deactivate and Reactivate take each other's place: focus follows to the one now shown.
  const refocus = useRef(false);
  useLayoutEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    (actions.current?.lastElementChild as HTMLElement | null)?.focus();
  }, [user.deactivated]);

  const who = `@${user.username}`;
  const run = (patch: AdminUserPatch): Promise<void> => {
    if (busy) return Promise.resolve();
    setBusy(true);
    setError(null);
    // Set before the change lands: the row re-renders with it before this promise settles.
    refocus.current = patch.deactivated !== undefined;
    return onChange(patch).then(
      () => setBusy(false),
      (e: unknown) => {
        refocus.current = false;
        setError(errorText(e));
        setBusy(false);
      },
    );
  };

  return (
    <li class={`admin-users__item${user.deactivated ? ' admin-users__item--deactivated' : ''}`}>
      <div class="admin-users__who">
        <span class="admin-users__name">{user.display_name ?? user.username}</span>
        <span class="admin-users__username muted">{who}</span>
        <span class="admin-users__tags">
          <span class={`tag${user.role === 'admin' ? ' tag--admin' : ''}`}>{user.role === 'admin' ? 'Admin' : 'Member'}</span>
          {user.is_bot ? <span class="tag">Bot</span> : null}
          {user.deactivated ? <span class="tag tag--deactivated">Deactivated</span> : null}
          {self ? <span class="tag">You</span> : null}
        </span>
        {user.deactivated_at ? <span class="admin-users__since muted">Deactivated {new Date(user.deactivated_at).toLocaleString(undefined, WHEN)}</span> : null}
      </div>
      <div class="admin-users__actions" ref={actions}>
        <button type="button" class="button button--small" aria-busy={busy} aria-label={`${user.role === 'admin' ? 'Make member' : 'Make admin'} ${who}`} onClick={() => void run({ role: user.role === 'admin' ? 'member' : 'admin' })}>
          {user.role === 'admin' ? 'Make member' : 'Make admin'}
        </button>
        {/* Before Deactivate / Reactivate, which stays the last: focus follows to it (above). */}
        <button type="button" id={removeMessagesButtonId(user.id)} class="button button--small button--danger-ghost" aria-label={`Remove messages from ${who}`} aria-haspopup="dialog" onClick={onRemoveMessages}>
          Remove messages…
        </button>
        {user.deactivated ? (
          <button type="button" class="button button--small" aria-busy={busy} aria-label={`Reactivate ${who}`} onClick={() => void run({ deactivated: false })}>
            Reactivate
          </button>
        ) : (
          <ConfirmButton label="Deactivate" ariaLabel={`Deactivate ${who}`} groupLabel={`Confirm deactivating ${who}`} yes="Yes, deactivate" busy="Deactivating…" onConfirm={() => run({ deactivated: true })}>
            Deactivate {who}? {self ? 'You' : 'They'} are logged out everywhere at once, every token {self ? 'you' : 'they'} and {self ? 'your' : 'their'} bots hold is revoked, and logging in is refused until
            an admin reactivates the account. Messages and memberships stay.
          </ConfirmButton>
        )}
      </div>
      <FormError error={error} />
    </li>
  );
}
