/**
 * Who is in the conversation (picture, display name and @username, status text, role), each with
 * their menu (member-item.tsx: roles, remove, block); add people picked from the directory as you
 * type (people-picker.tsx, where members are shown as such), or by a username typed whole: the
 * directory may not list someone (`DIRECTORY_VISIBILITY=shared`) whose exact username still finds
 * them. The conversation's retention (conversation-retention.tsx). Or leave, after a confirmation.
 */
import type { Conversation, User } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { lookUpUsernames, typedUsernames, unknownUsernamesText } from '../lib/typed-usernames.js';
import { navigate } from '../lib/use-route.js';
import { ConfirmButton } from './confirm-button.js';
import { ConversationRetention } from './conversation-retention.js';
import { FormError } from './form-error.js';
import { MemberItem } from './member-item.js';
import { PeoplePicker } from './people-picker.js';

export function MembersPanel({ store, conversation, onClose }: { store: ChatStore; conversation: Conversation; onClose: () => void }) {
  const [leaveError, setLeaveError] = useState<string | null>(null);
  const myRole = conversation.members.find((m) => m.user_id === store.me.id)?.role;
  const members = [...conversation.members].sort((a, b) => (a.user_id === store.me.id ? -1 : b.user_id === store.me.id ? 1 : (a.display_name ?? a.username).localeCompare(b.display_name ?? b.username)));
  useStatusTexts(store, conversation);

  const leave = async () => {
    setLeaveError(null);
    try {
      await store.members.leave(conversation.id);
      navigate({ kind: 'home' });
    } catch (e) {
      setLeaveError(errorText(e));
    }
  };

  return (
    <aside
      id="members-panel"
      class="members"
      aria-labelledby="members-heading"
      onKeyDown={(e) => {
        if (e.key === 'Escape') onClose();
      }}
    >
      <header class="members__header">
        <h3 id="members-heading">People ({members.length})</h3>
        <button type="button" class="button button--ghost button--icon" aria-label="Close people panel" onClick={onClose}>
          ×
        </button>
      </header>
      <ul class="members__list">
        {members.map((m) => (
          <MemberItem key={m.user_id} store={store} conversationId={conversation.id} member={m} callerRole={myRole} />
        ))}
      </ul>
      <AddMembers store={store} conversation={conversation} />
      <ConversationRetention store={store} conversation={conversation} />
      <div class="members__leave">
        <ConfirmButton label="Leave conversation" groupLabel="Confirm leaving" yes="Yes, leave" busy="Leaving…" onConfirm={leave}>
          Leave this conversation? You will stop receiving its messages.
        </ConfirmButton>
        <FormError error={leaveError} />
      </div>
    </aside>
  );
}

/**
 * Status texts are on Users, not on Members, and a change to one is not announced to others: the
 * other members' are read when the panel opens, and for each who joins while it is open.
 */
function useStatusTexts(store: ChatStore, conversation: Conversation): void {
  const asked = useRef(new Set<string>());
  const others = conversation.members.map((m) => m.user_id).filter((id) => id !== store.me.id);
  const key = others.join(',');
  useEffect(() => {
    const fresh = others.filter((id) => !asked.current.has(id));
    fresh.forEach((id) => asked.current.add(id));
    store.users.refresh(fresh);
    // `key` stands for `others`, a new array every render.
  }, [store, key]);
}

/** "Add member": people picked from the directory and usernames typed whole, added one by one. */
function AddMembers({ store, conversation }: { store: ChatStore; conversation: Conversation }) {
  const [picked, setPicked] = useState<User[]>([]);
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const memberIds = new Set(conversation.members.map((m) => m.user_id));

  const fail = (message: string) => {
    setError(message);
    input.current?.focus();
  };

  const add = async (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const isPicked = (name: string) => picked.some((u) => u.username.toLowerCase() === name.toLowerCase());
    const names = typedUsernames(typed).filter((name) => !isPicked(name));
    if (picked.length + names.length === 0) return fail('Type part of a name and pick someone, or type a username.');
    setBusy(true);
    setError(null);
    setNotice(null);
    const added: string[] = [];
    try {
      const { users: found, unknown } = await lookUpUsernames(names, (name) => store.users.findByUsername(name));
      if (unknown.length > 0) return fail(unknownUsernamesText(unknown));
      const users = [...picked, ...found];
      const already = users.filter((u) => memberIds.has(u.id)).map((u) => u.username);
      if (already.length > 0) return fail(`${already.join(', ')} ${already.length === 1 ? 'is already a member' : 'are already members'}.`);
      for (const user of users) {
        await store.members.add(conversation.id, user.id);
        added.push(user.username);
        setPicked((list) => list.filter((u) => u.id !== user.id));
      }
      setTyped('');
    } catch (e) {
      fail(errorText(e));
    } finally {
      setBusy(false);
      if (added.length > 0) setNotice(`Added ${added.join(', ')}.`);
    }
  };

  return (
    <form class="members__add" onSubmit={(e) => void add(e)} noValidate>
      <PeoplePicker
        store={store}
        id="add-member"
        label="Add member"
        inputRef={input}
        picked={picked}
        members={memberIds}
        onPick={(user) => setPicked((list) => [...list, user])}
        onUnpick={(user) => setPicked((list) => list.filter((u) => u.id !== user.id))}
        text={typed}
        onText={setTyped}
        hint="Type part of a name and pick from the list, or a whole username."
        error={error}
      />
      <button type="submit" class="button" disabled={busy}>
        {busy ? 'Adding…' : 'Add'}
      </button>
      <p class="members__notice" role="status">
        {notice ?? ''}
      </p>
    </form>
  );
}
