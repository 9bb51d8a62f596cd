/** Conversations, most recent activity first, with a preview of the last message and unread counts. */
import { attachmentSummary } from '../lib/attachments.js';
import type { ChatStore } from '../lib/chat-store.js';
import { conversationName, directPeerId, shortWhen } from '../lib/format.js';
import { plainTextOf } from '../lib/markdown-plain-text.js';
import type { ConversationEntry } from '../lib/stores/conversations-store.js';
import { useAtom } from '../lib/use-atom.js';
import { Avatar } from './avatar.js';
import { MutedMark } from './muted-mark.js';
import { PresenceAvatar } from './presence-dot.js';

export function ConversationList({ store, selectedId }: { store: ChatStore; selectedId: string | null }) {
  const entries = useAtom(store.conversations.list);
  const { synced } = useAtom(store.connection.view);
  if (entries.length === 0) {
    return <p class="sidebar__empty">{synced ? 'No conversations yet. Start one with “New conversation”.' : 'Loading conversations…'}</p>;
  }
  return (
    <nav class="conversation-list" aria-label="Conversation list">
      <ul>
        {entries.map((entry) => (
          <ConversationItem key={entry.conversation.id} store={store} entry={entry} selected={entry.conversation.id === selectedId} />
        ))}
      </ul>
    </nav>
  );
}

function ConversationItem({ store, entry, selected }: { store: ChatStore; entry: ConversationEntry; selected: boolean }) {
  const name = conversationName(entry.conversation, store.me);
  const peerId = directPeerId(entry.conversation, store.me);
  const unreadCount = useAtom(store.conversations.unread(entry.conversation.id));
  const mentionCount = useAtom(store.conversations.unreadMentions(entry.conversation.id));
  const unread = selected ? 0 : unreadCount;
  const mentions = selected ? 0 : mentionCount;
  return (
    <li>
      <a
        href={`#/c/${entry.conversation.id}`}
        class={`conversation-item${selected ? ' conversation-item--selected' : ''}${unread > 0 ? ' conversation-item--unread' : ''}`}
        aria-current={selected ? 'page' : undefined}
      >
        {peerId ? <PresenceAvatar store={store} userId={peerId} /> : <Avatar name={name} />}
        <span class="conversation-item__body">
          <span class="conversation-item__top">
            <span class="conversation-item__name">{name}</span>
            <MutedMark store={store} conversationId={entry.conversation.id} />
            <span class="conversation-item__when">{shortWhen(entry.activityAt)}</span>
          </span>
          <span class="conversation-item__bottom">
            <span class="conversation-item__preview">{previewOf(store, entry)}</span>
            {mentions > 0 ? (
              // Read out in words: a label on a plain <span> is not reliably announced.
              <span class="badge badge--mention" title={`${mentions} unread mention${mentions === 1 ? '' : 's'}`}>
                <span aria-hidden="true">@{mentions > 99 ? '99+' : mentions}</span>
                <span class="visually-hidden">{`${mentions} unread mention${mentions === 1 ? '' : 's'}`}</span>
              </span>
            ) : null}
            {unread > 0 ? (
              <span class="badge" aria-label={`${unread} unread`}>
                {unread > 99 ? '99+' : unread}
              </span>
            ) : null}
          </span>
        </span>
      </a>
    </li>
  );
}

function previewOf(store: ChatStore, entry: ConversationEntry): string {
  const last = entry.lastMessage;
  if (!last) return 'No messages yet';
  const who = last.sender_id === store.me.id ? 'You' : store.users.name(last.sender_id);
  const text = plainTextOf(last.content);
  return `${who}: ${last.deleted ? 'message deleted' : text || attachmentSummary(last)}`;
}
