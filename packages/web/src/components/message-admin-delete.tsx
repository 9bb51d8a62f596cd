/**
 * "Delete (admin)" beside someone else's message, for an admin (docs/API.md, "Moderation"): the
 * messages they could not delete otherwise (their own have Delete). It follows your role alone,
 * so a role read at sync re-renders these buttons and no message; the message item asks first.
 */
import type { Message } from '@pneumatic/client';
import type { Ref } from 'preact';
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';

interface AdminDeleteProps {
  store: ChatStore;
  message: Message;
  buttonRef: Ref<HTMLButtonElement>;
  onDelete: () => void;
}

export function AdminDeleteButton({ store, message, buttonRef, onDelete }: AdminDeleteProps) {
  const role = useAtom(store.role.view);
  if (role !== 'admin') return null;
  return (
    <div class="message__actions message__actions--admin">
      <button type="button" ref={buttonRef} class="button button--ghost button--tiny message__admin-delete" aria-label={`Delete (admin) the message from ${store.users.name(message.sender_id)}`} onClick={onDelete}>
        Delete (admin)
      </button>
    </div>
  );
}
