/** The logged-in app: sidebar with the conversation list, and the selected screen beside it. */
import { PneumaticClient } from '@pneumatic/client';
import { useEffect, useState } from 'preact/hooks';
import type { StoredAuth } from '../lib/auth-storage.js';
import { ChatStore } from '../lib/chat-store.js';
import { navigate, useRoute } from '../lib/use-route.js';
import { useStore } from '../lib/use-store.js';
import { ConnectionBanner } from './connection-banner.js';
import { ConversationList } from './conversation-list.js';
import { ConversationView } from './conversation-view.js';
import { Avatar } from './avatar.js';
import { NewConversation } from './new-conversation.js';

export function ChatScreen({ auth, onSignedOut }: { auth: StoredAuth; onSignedOut: () => void }) {
  const [store] = useState(() => new ChatStore(new PneumaticClient({ baseUrl: location.origin, token: auth.token, user: auth.user }), onSignedOut));
  useStore(store);
  useEffect(() => {
    void store.start();
    return () => store.stop();
  }, [store]);
  const route = useRoute();
  const selected = route.kind === 'conversation' ? store.conversation(route.id) : undefined;
  const showingMain = route.kind !== 'home';

  return (
    <div class={`layout${showingMain ? ' layout--main' : ''}`}>
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
        <ConversationList store={store} selectedId={route.kind === 'conversation' ? route.id : null} />
        <footer class="account">
          <Avatar name={store.me.username} small />
          <span class="account__name" title={`Logged in as ${store.me.username}`}>
            {store.me.username}
          </span>
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
        <ConnectionBanner store={store} />
        {route.kind === 'new' ? (
          <NewConversation store={store} />
        ) : selected ? (
          <ConversationView key={selected.conversation.id} store={store} entry={selected} />
        ) : route.kind === 'conversation' && store.connection !== 'live' ? (
          <div class="empty">
            <p>Loading…</p>
          </div>
        ) : (
          <div class="empty">
            <h2>{route.kind === 'conversation' ? 'Conversation not found' : 'No conversation selected'}</h2>
            <p>Pick a conversation from the list, or start a new one.</p>
          </div>
        )}
      </main>
    </div>
  );
}
