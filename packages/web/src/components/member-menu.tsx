/**
 * A member's menu in the people panel (member-item.tsx opens it under their row): the role
 * changes an owner makes, Remove for whoever may (after asking), and Block or Unblock. Only what
 * member-actions.ts allows is offered; a refusal all the same (roles changed meanwhile, the only
 * owner stepping down) stays in the menu, in words. Escape closes it; focus returns to its button.
 */
import type { Member, MemberRole } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { ROLE_NAMES, type MemberActions } from '../lib/member-actions.js';
import { ConfirmButton } from './confirm-button.js';
import { FormError } from './form-error.js';

interface MemberMenuProps {
  id: string;
  store: ChatStore;
  conversationId: string;
  member: Member;
  actions: MemberActions;
  /** You block them. */
  blocked: boolean;
  /** Closed: by Escape (null), or after a change, with what to announce. */
  onClose: (notice: string | null) => void;
}

export function MemberMenu({ id, store, conversationId, member, actions, blocked, onClose }: MemberMenuProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isSelf = member.user_id === store.me.id;
  const who = `@${member.username}`;

  const run = async (work: () => Promise<void>, notice: string) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onClose(notice);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  const setRole = (role: MemberRole) => run(() => store.members.setRole(conversationId, member.user_id, role), roleNotice(isSelf ? 'You are' : `${who} is`, role));

  return (
    <div
      id={id}
      class="member-menu"
      role="group"
      aria-label={`Actions for ${who}`}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Only the menu closes, not the panel around it.
        e.stopPropagation();
        onClose(null);
      }}
    >
      {actions.roles.map((role) => (
        <button key={role} type="button" class="button button--ghost button--small" disabled={busy} onClick={() => void setRole(role)}>
          {isSelf ? `Step down to ${ROLE_NAMES[role]}` : `Make ${ROLE_NAMES[role]}`}
        </button>
      ))}
      {actions.remove ? (
        <ConfirmButton
          label="Remove"
          ariaLabel={`Remove ${who} from the conversation`}
          disabled={busy}
          groupLabel={`Confirm removing ${who}`}
          yes="Yes, remove"
          busy="Removing…"
          onConfirm={() => run(() => store.members.remove(conversationId, member.user_id), `Removed ${who}.`)}
        >
          Remove {who} from this conversation? They stop receiving its messages; any member can add them again.
        </ConfirmButton>
      ) : null}
      {actions.block && blocked ? (
        <button type="button" class="button button--ghost button--small" disabled={busy} onClick={() => void run(() => store.blocks.unblock(member.user_id), `${who} is unblocked.`)}>
          Unblock
        </button>
      ) : null}
      {actions.block && !blocked ? (
        <ConfirmButton
          label="Block"
          ariaLabel={`Block ${who}`}
          disabled={busy}
          groupLabel={`Confirm blocking ${who}`}
          yes="Yes, block"
          busy="Blocking…"
          onConfirm={() => run(() => store.blocks.block(member.user_id), `${who} is blocked.`)}
        >
          Block {who}? They can no longer start a conversation with you, add you to one, mention you or cause you notifications. Conversations you share keep working.
        </ConfirmButton>
      ) : null}
      <FormError error={error} />
    </div>
  );
}

/** "@ann is now an admin." */
function roleNotice(subject: string, role: MemberRole): string {
  return `${subject} now ${role === 'member' ? 'a' : 'an'} ${ROLE_NAMES[role]}.`;
}
