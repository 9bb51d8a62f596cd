/** The logged-in app: sidebar with the conversation list, and the selected screen beside it. */
import { useEffect, useState } from 'preact/hooks';
import type { StoredAuth } from '../lib/auth-storage.js';
import { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';
import { lazyComponent } from '../lib/lazy-component.js';
import type { SessionEnd } from '../lib/session-end.js';
import { justLinked } from '../lib/sso.js';
import { usePageActivity, useUnreadTitle } from '../lib/use-page-activity.js';
import { navigate, replaceRoute, useRoute, type Route } from '../lib/use-route.js';
import { AdminLink } from './admin-link.js';
import { ConnectionBanner } from './connection-banner.js';
import { ConversationList } from './conversation-list.js';
import { ConversationView } from './conversation-view.js';
import { NewConversation } from './new-conversation.js';
import { SearchBox } from './search-box.js';
import { SearchPanel } from './search-panel.js';
import { UserAvatar, UserName } from './user-profile.js';

/** Settings load when first opened: their forms are not needed to chat. */
const SettingsPanel = lazyComponent(() => import('./settings-panel.js').then((module) => module.SettingsPanel));
/** Administration too, and only admins ever open it. */
const AdminPanel = lazyComponent(() => import('./admin-panel.js').then((module) => module.AdminPanel));

export function ChatScreen({ auth, onSignedOut }: { auth: StoredAuth; onSignedOut: (end?: SessionEnd) => void }) {
  const [store] = useState(() => new ChatStore(auth, onSignedOut));
  useEffect(() => {
    void store.start();
    return () => store.stop();
  }, [store]);
  const route = useRoute();
  usePageActivity(store, route.kind === 'conversation' ? route.id : null);
  // An invite link is for signing up, a login code for logging in: once logged in, either is the
  // home screen, and out of the history. A provider just linked is confirmed in Settings.
  useEffect(() => {
    if (route.kind === 'invite' || route.kind === 'sso') replaceRoute({ kind: 'home' });
    if (route.kind === 'sso-linked') {
      justLinked.set(route.provider);
      replaceRoute({ kind: 'settings' });
    }
  }, [route.kind]);

  return (
    <div class={`layout${route.kind !== 'home' && route.kind !== 'invite' && route.kind !== 'sso' ? ' layout--main' : ''}`}>
      <aside class="sidebar" aria-label="Conversations">
        <header class="sidebar__header">
          <div class="brand">
            <span class="brand__mark" aria-hidden="true">
              P
            </span>
            <span>Pneumatic</span>
          </div>
        </header>
        <div class="sidebar__actions">
          <button type="button" class="button button--primary button--block" onClick={() => navigate({ kind: 'new' })}>
            <svg class="icon" viewBox="0 0 20 20" aria-hidden="true">
              <path d="M10 4v12M4 10h12" />
            </svg>
            New conversation
          </button>
        </div>
        <SearchBox store={store} />
        <SidebarBody store={store} selectedId={route.kind === 'conversation' ? route.id : null} />
        <AdminLink store={store} current={route.kind === 'admin'} />
        <footer class="account">
          <UserAvatar store={store} userId={store.me.id} small />
          <span class="account__name" title={`Logged in as @${store.me.username}`}>
            <UserName store={store} userId={store.me.id} />
          </span>
          <a href="#/settings" class="button button--ghost button--small" aria-current={route.kind === 'settings' ? 'page' : undefined}>
            Settings
          </a>
          <button
            type="button"
            class="button button--ghost button--small"
            onClick={() => {
              void store.logout().finally(onSignedOut);
            }}
          >
            Log out
          </button>
        </footer>
      </aside>
      <main class="main">
        <UnreadTitle store={store} />
        <ConnectionBanner store={store} />
        <MainPane store={store} route={route} onSignedOut={onSignedOut} />
      </main>
    </div>
  );
}

/** Keeps the page title's unread count: its own component, so a new unread message re-renders nothing else. */
function UnreadTitle({ store }: { store: ChatStore }) {
  useUnreadTitle(store);
  return null;
}

/** The conversation list, or the search results while a search is open (they follow only the search's open state). */
function SidebarBody({ store, selectedId }: { store: ChatStore; selectedId: string | null }) {
  const { open } = useAtom(store.search.view);
  return open ? <SearchPanel store={store} currentConversationId={selectedId} /> : <ConversationList store={store} selectedId={selectedId} />;
}

function MainPane({ store, route, onSignedOut }: { store: ChatStore; route: Route; onSignedOut: () => void }) {
  if (route.kind === 'new') return <NewConversation store={store} />;
  if (route.kind === 'settings') return <SettingsPanel store={store} onSignedOut={onSignedOut} />;
  if (route.kind === 'admin') return <AdminPanel store={store} tab={route.tab} />;
  if (route.kind === 'conversation') return <SelectedConversation key={route.id} store={store} id={route.id} />;
  return <Empty title="No conversation selected" />;
}

/** Re-renders when this conversation appears, changes or goes away: nothing else. */
function SelectedConversation({ store, id }: { store: ChatStore; id: string }) {
  const conversation = useAtom(store.conversations.conversation(id));
  const { synced } = useAtom(store.connection.view);
  if (conversation) return <ConversationView store={store} conversation={conversation} />;
  if (!synced) {
    return (
      <div class="empty">
        <p>Loading…</p>
      </div>
    );
  }
  return <Empty title="Conversation not found" />;
}

function Empty({ title }: { title: string }) {
  return (
    <div class="empty">
      <h2>{title}</h2>
      <p>Pick a conversation from the list, or start a new one.</p>
    </div>
  );
}
