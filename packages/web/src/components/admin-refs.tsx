/**
 * People and conversations as Administration names them (the audit log, the reports): a user by
 * "@username" through the users store (looked up once if the session has not seen them), by id
 * until then; a conversation by its name when you are in it, else by id.
 */
import type { ChatStore } from '../lib/chat-store.js';
import { conversationName } from '../lib/format.js';
import { useAtom } from '../lib/use-atom.js';

/** "@ana", or the id while the user is not known. */
export function UserRef({ store, id }: { store: ChatStore; id: string }) {
  const user = useAtom(store.users.of(id));
  return <span class="admin__ref">{user ? `@${user.username}` : id}</span>;
}

export function ConversationRef({ store, id }: { store: ChatStore; id: string }) {
  const conversation = useAtom(store.conversations.conversation(id));
  return <span class="admin__ref">{conversation ? conversationName(conversation, store.me) : id}</span>;
}
