/**
 * One person in the people panel: picture, names and status text, a badge for an owner or an
 * admin (plain members have none), "blocked" for someone you block, and their menu when you may
 * do something to them (member-actions.ts decides what).
 */
import type { Member, MemberRole } from '@pneumatic/client';
import { useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { hasActions, memberActions, ROLE_NAMES } from '../lib/member-actions.js';
import { useAtom } from '../lib/use-atom.js';
import { MemberMenu } from './member-menu.js';
import { PresenceAvatar } from './presence-dot.js';
import { UserStatus } from './user-profile.js';

interface MemberItemProps {
  store: ChatStore;
  conversationId: string;
  member: Member;
  /** Your role in the conversation. */
  callerRole: MemberRole | undefined;
}

export function MemberItem({ store, conversationId, member, callerRole }: MemberItemProps) {
  const isSelf = member.user_id === store.me.id;
  const blocked = useAtom(store.blocks.blockedIds).has(member.user_id);
  const actions = memberActions(callerRole, member.role, isSelf);
  const [open, setOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const menuId = `member-menu-${member.user_id}`;
  const close = (done: string | null) => {
    setOpen(false);
    if (done) setNotice(done);
    trigger.current?.focus();
  };
  return (
    <li class="members__item">
      <div class="members__row">
        <PresenceAvatar store={store} userId={member.user_id} small />
        <span class="members__who">
          <span class="members__name">
            {member.display_name ?? member.username}
            {member.display_name ? <span class="muted members__handle"> @{member.username}</span> : null}
            {isSelf ? <span class="muted"> (you)</span> : null}
          </span>
          <UserStatus store={store} userId={member.user_id} />
        </span>
        {member.role === 'member' ? null : <span class={`tag tag--role-${member.role}`}>{ROLE_NAMES[member.role]}</span>}
        {blocked ? <span class="tag tag--blocked">blocked</span> : null}
        {hasActions(actions) ? (
          <button
            type="button"
            ref={trigger}
            class="button button--ghost button--icon members__menu-button"
            aria-label={`Actions for @${member.username}`}
            aria-expanded={open}
            aria-controls={menuId}
            onClick={() => {
              setNotice(null);
              setOpen((v) => !v);
            }}
          >
            ⋯
          </button>
        ) : null}
      </div>
      {open && hasActions(actions) ? <MemberMenu id={menuId} store={store} conversationId={conversationId} member={member} actions={actions} blocked={blocked} onClose={close} /> : null}
      <p class="members__notice" role="status">
        {notice ?? ''}
      </p>
    </li>
  );
}
