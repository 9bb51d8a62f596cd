/**
 * Beside someone else's message (lib/message-actions.ts): Delete for the conversation's owners
 * and admins, "Delete (admin)" for a server admin who is neither there (docs/API.md,
 * "Moderation"), and Report for any member (docs/API.md, "Reports"). It follows your two roles
 * alone, so a role given or taken re-renders these buttons and no message; the message item asks
 * before deleting and opens the report dialog.
 */
import type { Message } from '@pneumatic/client';
import type { Ref } from 'preact';
import type { ChatStore } from '../lib/chat-store.js';
import { messageActions, type DeleteAs } from '../lib/message-actions.js';
import { useAtom } from '../lib/use-atom.js';

interface MessageModerationProps {
  store: ChatStore;
  message: Message;
  /** Whichever delete shows, for focus to return to when its question is cancelled. */
  deleteRef: Ref<HTMLButtonElement>;
  reportRef: Ref<HTMLButtonElement>;
  onDelete: (as: DeleteAs) => void;
  onReport: () => void;
}

export function MessageModeration({ store, message, deleteRef, reportRef, onDelete, onReport }: MessageModerationProps) {
  const serverRole = useAtom(store.role.view);
  const conversationRole = useAtom(store.conversations.myRole(message.conversation_id));
  const actions = messageActions({ own: message.sender_id === store.me.id, deleted: message.deleted, conversationRole, serverRole });
  if (actions.edit || (actions.delete === null && !actions.report)) return null;
  const sender = store.users.name(message.sender_id);
  const deleteAs = actions.delete;
  return (
    <div class="message__actions message__actions--moderation">
      {deleteAs ? (
        <button
          type="button"
          ref={deleteRef}
          class={`button button--ghost button--tiny${deleteAs === 'server-admin' ? ' message__admin-delete' : ''}`}
          aria-label={deleteAs === 'server-admin' ? `Delete (admin) the message from ${sender}` : `Delete the message from ${sender}`}
          onClick={() => onDelete(deleteAs)}
        >
          {deleteAs === 'server-admin' ? 'Delete (admin)' : 'Delete'}
        </button>
      ) : null}
      {actions.report ? (
        <button type="button" ref={reportRef} class="button button--ghost button--tiny" aria-label={`Report the message from ${sender}`} onClick={onReport}>
          Report
        </button>
      ) : null}
    </div>
  );
}
