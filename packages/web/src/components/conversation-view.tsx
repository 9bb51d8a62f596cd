/** One conversation: header, scrollable history, typing indicator, composer, and the members panel. */
import { useEffect, useState } from 'preact/hooks';
import type { ChatStore, ConversationEntry } from '../lib/chat-store.js';
import { conversationName, directPeer } from '../lib/format.js';
import { navigate } from '../lib/use-route.js';
import { Composer } from './composer.js';
import { MembersPanel } from './members-panel.js';
import { MessageList } from './message-list.js';
import { TypingIndicator } from './typing-indicator.js';

export function ConversationView({ store, entry }: { store: ChatStore; entry: ConversationEntry }) {
  const { conversation } = entry;
  const id = conversation.id;
  const [showMembers, setShowMembers] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);
  const messages = store.messages(id);
  const latestSeq = messages.at(-1)?.seq ?? 0;

  useEffect(() => {
    store.openConversation(id).catch(() => setLoadError('Could not load the messages. They will appear once the connection is back.'));
  }, [store, id, store.connection]);

  // Whatever is on screen while the page is visible counts as read.
  useEffect(() => {
    const markIfVisible = () => {
      if (document.visibilityState === 'visible') store.markRead(id);
    };
    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [store, id, latestSeq, store.connection]);

  const name = conversationName(conversation, store.me);
  const isDirect = directPeer(conversation, store.me) !== null;
  return (
    <section class="conversation" aria-labelledby="conversation-heading">
      <header class="conversation__header">
        <button type="button" class="button button--ghost button--icon back" onClick={() => navigate({ kind: 'home' })} aria-label="Back to conversations">
          ‹
        </button>
        <div class="conversation__title">
          <h2 id="conversation-heading">{name}</h2>
          <p class="conversation__subtitle">{isDirect ? 'Direct message' : `${conversation.members.length} member${conversation.members.length === 1 ? '' : 's'}`}</p>
        </div>
        <button type="button" class="button button--ghost button--small" aria-expanded={showMembers} aria-controls="members-panel" onClick={() => setShowMembers((v) => !v)}>
          {showMembers ? 'Hide people' : 'People'}
        </button>
      </header>
      <div class="conversation__content">
        <div class="conversation__main">
          {loadError && !store.log(id).loaded ? <p class="notice">{loadError}</p> : null}
          <MessageList store={store} conversationId={id} />
          <TypingIndicator names={store.typingNames(id)} />
          <Composer store={store} conversationId={id} />
        </div>
        {showMembers ? <MembersPanel store={store} conversation={conversation} onClose={() => setShowMembers(false)} /> : null}
      </div>
    </section>
  );
}
