/**
 * Administration → Users (docs/API.md, "Administration"): everyone with an account, in username
 * order, found by the start of their username and narrowed to admins or deactivated accounts,
 * a page at a time; each with their role and account state, and the changes an admin makes,
 * their messages' removal included (message-removal-dialog.tsx).
 */
import { ADMIN_QUERY_MAX_CHARS } from '@pneumatic/protocol';
import type { AdminUser, AdminUserPatch, AdminUserQuery } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { errorText } from '../lib/errors.js';
import { PagedList } from '../lib/stores/paged-list.js';
import { useAtom } from '../lib/use-atom.js';
import { AdminUserItem, removeMessagesButtonId } from './admin-user-item.js';
import { FormError } from './form-error.js';
import { LoadMore } from './load-more.js';
import { MessageRemovalDialog } from './message-removal-dialog.js';

const PAGE_SIZE = 50;
type Shown = 'all' | 'admins' | 'deactivated';
const SHOWN: Record<Shown, { label: string; query: AdminUserQuery }> = {
  all: { label: 'Everyone', query: {} },
  admins: { label: 'Admins', query: { role: 'admin' } },
  deactivated: { label: 'Deactivated accounts', query: { deactivated: true } },
};

/** What the change did, in words for the status line. */
function changed(user: AdminUser, patch: AdminUserPatch): string {
  const who = `@${user.username}`;
  if (patch.deactivated === true) return `${who} is deactivated: logged out everywhere, and cannot log in until reactivated.`;
  if (patch.deactivated === false) return `${who} is reactivated and can log in again.`;
  return user.role === 'admin' ? `${who} is now an admin.` : `${who} is now a member.`;
}

export function AdminUsers({ store }: { store: ChatStore }) {
  const [list] = useState(() => new PagedList<AdminUser>());
  const view = useAtom(list.view);
  const [text, setText] = useState('');
  const [shown, setShown] = useState<Shown>('all');
  const [notice, setNotice] = useState('');
  /** Whose messages the open "Remove messages…" dialog removes. */
  const [removing, setRemoving] = useState<AdminUser | null>(null);
  /** The button that opened it: focus goes back there once the dialog is gone (not before: it holds focus while open). */
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (removing !== null || refocus.current === null) return;
    document.getElementById(refocus.current)?.focus();
    refocus.current = null;
  }, [removing]);

  const search = (prefix: string, which: Shown) => {
    setNotice('');
    const q = prefix.trim().replace(/^@/, '') || undefined;
    void list.show((cursor) => store.client.listUsersAsAdmin({ ...SHOWN[which].query, q, cursor, limit: PAGE_SIZE }).then((page) => ({ items: page.users, next_cursor: page.next_cursor })));
  };
  useEffect(() => search('', 'all'), [store]);

  useEffect(() => store.role.refused(view.error), [view.error]);

  /** Rejects with the server's refusal (`last_admin`), which the user's row shows. */
  const change = async (user: AdminUser, patch: AdminUserPatch) => {
    setNotice('');
    const updated = await store.client.updateUserAsAdmin(user.id, patch).catch((error: unknown) => {
      store.role.refused(error);
      throw error;
    });
    list.replace(updated);
    setNotice(changed(updated, patch));
    // You made yourself a member: Administration closes.
    if (user.id === store.me.id) void store.role.refresh();
  };

  return (
    <section class="settings__section admin__section" aria-labelledby="admin-users-heading">
      <h3 id="admin-users-heading">Users</h3>
      <form
        class="admin__search"
        role="search"
        aria-label="Find users"
        onSubmit={(e) => {
          e.preventDefault();
          search(text, shown);
        }}
      >
        <div class="field">
          <label for="admin-users-q">Username starts with</label>
          <input id="admin-users-q" type="search" value={text} maxLength={ADMIN_QUERY_MAX_CHARS} autocomplete="off" autocapitalize="none" spellcheck={false} onInput={(e) => setText(e.currentTarget.value)} />
        </div>
        <div class="field">
          <label for="admin-users-shown">Show</label>
          <select
            id="admin-users-shown"
            value={shown}
            onChange={(e) => {
              const which = e.currentTarget.value as Shown;
              setShown(which);
              search(text, which);
            }}
          >
            {(Object.keys(SHOWN) as Shown[]).map((key) => (
              <option key={key} value={key}>
                {SHOWN[key].label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="button button--primary">
          Search
        </button>
      </form>
      <p class="admin__notice" role="status">
        {notice}
      </p>
      {view.loading && !view.loaded ? <p class="muted">Loading users…</p> : null}
      {view.loaded && view.items.length === 0 ? <p class="muted">No users match.</p> : null}
      {view.items.length > 0 ? (
        <ul class="admin-users" aria-label="Users">
          {view.items.map((user) => (
            <AdminUserItem key={user.id} user={user} self={user.id === store.me.id} onChange={(patch) => change(user, patch)} onRemoveMessages={() => setRemoving(user)} />
          ))}
        </ul>
      ) : null}
      <FormError error={view.error ? errorText(view.error) : null} />
      <LoadMore view={view} label="Load more users" endText={`All ${view.items.length} ${view.items.length === 1 ? 'user is' : 'users are'} shown.`} onMore={() => void list.more()} />
      {removing ? (
        <MessageRemovalDialog
          client={store.client}
          user={removing}
          onRefused={(error) => store.role.refused(error)}
          onClose={() => {
            refocus.current = removeMessagesButtonId(removing.id);
            setRemoving(null);
          }}
        />
      ) : null}
    </section>
  );
}
