/** Who is in the conversation (display name and @username); add someone by username, or leave. */
import type { Conversation } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { navigate } from '../lib/use-route.js';
import { Field } from './field.js';
import { PresenceAvatar } from './presence-dot.js';

export function MembersPanel({ store, conversation, onClose }: { store: ChatStore; conversation: Conversation; onClose: () => void }) {
  const [username, setUsername] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmLeave, setConfirmLeave] = useState(false);
  const members = [...conversation.members].sort((a, b) => (a.user_id === store.me.id ? -1 : b.user_id === store.me.id ? 1 : (a.display_name ?? a.username).localeCompare(b.display_name ?? b.username)));

  const add = async (event: Event) => {
    event.preventDefault();
    const name = username.trim().replace(/^@/, '');
    if (!name) return setError('Enter a username.');
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const user = await store.users.findByUsername(name);
      if (!user) setError(`No user named “${name}”.`);
      else if (conversation.members.some((m) => m.user_id === user.id)) setError(`${user.username} is already a member.`);
      else {
        await store.addMember(conversation.id, user.id);
        setUsername('');
        setNotice(`Added ${user.username}.`);
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const leave = async () => {
    try {
      await store.leave(conversation.id);
      navigate({ kind: 'home' });
    } catch (e) {
      setError(errorText(e));
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
          <li key={m.user_id} class="members__item">
            <PresenceAvatar store={store} userId={m.user_id} small />
            <span class="members__name">
              {m.display_name ?? m.username}
              {m.display_name ? <span class="muted members__handle"> @{m.username}</span> : null}
              {m.user_id === store.me.id ? <span class="muted"> (you)</span> : null}
            </span>
            {m.role === 'owner' ? <span class="tag">owner</span> : null}
          </li>
        ))}
      </ul>
      <form class="members__add" onSubmit={(e) => void add(e)} noValidate>
        <Field
          id="add-member"
          label="Add member"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          autocapitalize="none"
          spellcheck={false}
          placeholder="username"
          error={error}
        />
        <button type="submit" class="button" disabled={busy}>
          Add
        </button>
      </form>
      {notice ? (
        <p class="members__notice" role="status">
          {notice}
        </p>
      ) : null}
      <div class="members__leave">
        {confirmLeave ? (
          <div role="group" aria-label="Confirm leaving">
            <p>Leave this conversation? You will stop receiving its messages.</p>
            <button type="button" class="button button--danger button--small" onClick={() => void leave()}>
              Yes, leave
            </button>{' '}
            <button type="button" class="button button--ghost button--small" onClick={() => setConfirmLeave(false)}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" class="button button--danger-ghost button--small" onClick={() => setConfirmLeave(true)}>
            Leave conversation
          </button>
        )}
      </div>
    </aside>
  );
}
