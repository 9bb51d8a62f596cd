/**
 * A message from someone you block, folded away (docs/API.md, "Blocking": conversations you share
 * keep working, so their messages still arrive): one line in its place, and "Show" opens that
 * message alone. Unblocking them opens all of theirs.
 */
import type { Message } from '@pneumatic/client';
import { useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';

/** Whether this message is folded, and what unfolds it. Your own and deleted messages never are. */
export function useBlockedFold(store: ChatStore, message: Message): { folded: boolean; show: () => void } {
  const blocked = useAtom(store.blocks.blockedIds).has(message.sender_id);
  const [shown, setShown] = useState(false);
  return { folded: blocked && !shown && !message.deleted && message.sender_id !== store.me.id, show: () => setShown(true) };
}

export function BlockedMessageFold({ message, onShow }: { message: Message; onShow: () => void }) {
  return (
    <li class="message message--folded" data-seq={message.seq}>
      <p class="message__folded muted">
        Message from a blocked user —{' '}
        <button type="button" class="button button--ghost button--tiny" aria-label="Show the message from a blocked user" onClick={onShow}>
          show
        </button>
      </p>
    </li>
  );
}
