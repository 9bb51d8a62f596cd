/**
 * One conversation: header, scrollable history, typing indicator, composer, and the members
 * panel. It re-renders only when the conversation itself changes (title, members); the history,
 * the typing indicator and the composer each follow their own slice.
 */
import type { Conversation } from '@pneumatic/client';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { conversationName, directPeerId } from '../lib/format.js';
import { mayRename } from '../lib/member-actions.js';
import { navigate } from '../lib/use-route.js';
import { Composer } from './composer.js';
import { DropOverlay, useFileDrop } from './file-drop.js';
import { MembersPanel } from './members-panel.js';
import { MessageList } from './message-list.js';
import { NotificationBell } from './notification-menu.js';
import { PresenceLine } from './presence-dot.js';
import { PINS_BUTTON_ID, PinsButton, PinsPanel } from './pins-panel.js';
import { RenameForm } from './rename-conversation.js';
import { ThreadPanel } from './thread-panel.js';
import { TypingIndicator } from './typing-indicator.js';

export function ConversationView({ store, conversation }: { store: ChatStore; conversation: Conversation }) {
  const id = conversation.id;
  const [showMembers, setShowMembers] = useState(false);
  const [showPins, setShowPins] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const peopleButton = useRef<HTMLButtonElement>(null);
  const renameButton = useRef<HTMLButtonElement>(null);
  const name = conversationName(conversation, store.me);
  const peerId = directPeerId(conversation, store.me);
  const isDirect = peerId !== null;
  // A direct message's title names its two people; only groups are renamed, by owners and admins.
  const canRename = !isDirect && mayRename(conversation.members.find((m) => m.user_id === store.me.id)?.role);
  // Files dropped anywhere on the conversation attach to its composer.
  const drop = useFileDrop((files) => store.uploads.add(id, files));

  useEffect(() => setRenaming(false), [id]);
  useEffect(() => setShowPins(false), [id]);

  // Opened by a click that left nothing focused (a link, a form that went away): start in the composer.
  useEffect(() => {
    if (document.activeElement === document.body || document.activeElement === null) document.getElementById('composer-input')?.focus();
  }, [id]);

  const closeRename = () => {
    setRenaming(false);
    // The button is back once the form has gone.
    requestAnimationFrame(() => renameButton.current?.focus());
  };

  const closeMembers = () => {
    setShowMembers(false);
    peopleButton.current?.focus();
  };

  return (
    <section class="conversation" aria-labelledby="conversation-heading">
      <header class="conversation__header">
        <button type="button" class="button button--ghost button--icon back" onClick={() => navigate({ kind: 'home' })} aria-label="Back to conversations">
          ‹
        </button>
        {renaming && canRename ? (
          <>
            <h2 id="conversation-heading" class="visually-hidden">
              {name}
            </h2>
            <RenameForm store={store} conversation={conversation} onDone={closeRename} />
          </>
        ) : (
          <>
            <div class="conversation__title">
              <h2 id="conversation-heading">{name}</h2>
              <p class="conversation__subtitle">
                {peerId ? <PresenceLine store={store} userId={peerId} fallback="Direct message" /> : `${conversation.members.length} member${conversation.members.length === 1 ? '' : 's'}`}
              </p>
            </div>
            {canRename ? (
              <button type="button" ref={renameButton} class="button button--ghost button--small" onClick={() => setRenaming(true)} aria-label={`Rename ${name}`}>
                Rename
              </button>
            ) : null}
          </>
        )}
        <NotificationBell store={store} conversationId={id} name={name} />
        <PinsButton store={store} conversationId={id} expanded={showPins} onToggle={() => setShowPins((v) => !v)} />
        <button type="button" ref={peopleButton} class="button button--ghost button--small" aria-expanded={showMembers} aria-controls="members-panel" onClick={() => setShowMembers((v) => !v)}>
          {showMembers ? 'Hide people' : 'People'}
        </button>
      </header>
      <div class="conversation__content">
        <div class="conversation__main" {...drop.handlers}>
          {drop.dragging ? <DropOverlay /> : null}
          <MessageList store={store} conversationId={id} />
          <TypingIndicator store={store} conversationId={id} />
          <Composer store={store} conversationId={id} />
        </div>
        <ThreadPanel store={store} conversationId={id} />
        {showPins ? (
          <PinsPanel
            key={id}
            store={store}
            conversationId={id}
            onClose={() => {
              setShowPins(false);
              document.getElementById(PINS_BUTTON_ID)?.focus();
            }}
          />
        ) : null}
        {showMembers ? <MembersPanel store={store} conversation={conversation} onClose={closeMembers} /> : null}
      </div>
    </section>
  );
}
