/**
 * Settings → Blocked users (docs/API.md, "Blocking"): everyone you block, most recent first, each
 * with Unblock. People are blocked from their menu in a conversation's people panel. The list is
 * read again as the section opens: a block made on another device is not announced.
 */
import type { Block } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { useAtom } from '../lib/use-atom.js';
import { Avatar } from './avatar.js';
import { FormError } from './form-error.js';
import { shownName } from './user-profile.js';

export function BlockedUsers({ store }: { store: ChatStore }) {
  const blocks = useAtom(store.blocks.list);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    store.blocks.refresh().catch((e: unknown) => setError(errorText(e)));
  }, [store]);

  const unblock = async (block: Block) => {
    setError(null);
    setNotice(null);
    try {
      await store.blocks.unblock(block.user.id);
      setNotice(`@${block.user.username} is unblocked.`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section class="settings__section" aria-labelledby="blocked-heading">
      <h3 id="blocked-heading">Blocked users</h3>
      <p class="muted">Someone you block cannot start a conversation with you, add you to one, mention you or cause you notifications. Conversations you already share keep working. Block people from their menu in a conversation’s people list.</p>
      {blocks === null ? null : blocks.length === 0 ? (
        <p class="muted">You have not blocked anyone.</p>
      ) : (
        <ul class="blocked-users" aria-label="Blocked users">
          {blocks.map((block) => (
            <BlockedUser key={block.user.id} store={store} block={block} onUnblock={() => unblock(block)} />
          ))}
        </ul>
      )}
      <p class="members__notice" role="status">
        {notice ?? ''}
      </p>
      <FormError error={error} />
    </section>
  );
}

function BlockedUser({ store, block, onUnblock }: { store: ChatStore; block: Block; onUnblock: () => Promise<void> }) {
  const [busy, setBusy] = useState(false);
  const { user } = block;
  return (
    <li class="blocked-users__item">
      <Avatar name={shownName(user)} small src={user.avatar_url ? store.client.resolveUrl(user.avatar_url) : null} />
      <span class="blocked-users__who">
        {shownName(user)}
        {user.display_name ? <span class="muted members__handle"> @{user.username}</span> : null}
        <span class="muted blocked-users__since"> since {new Date(block.created_at).toLocaleDateString()}</span>
      </span>
      <button
        type="button"
        class="button button--ghost button--small"
        disabled={busy}
        aria-label={`Unblock @${user.username}`}
        onClick={() => {
          setBusy(true);
          void onUnblock().finally(() => setBusy(false));
        }}
      >
        {busy ? 'Unblocking…' : 'Unblock'}
      </button>
    </li>
  );
}
