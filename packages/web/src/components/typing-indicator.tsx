/** "alice is typing…", announced politely to screen readers. The only part of the screen typing frames re-render. */
import type { ChatStore } from '../lib/chat-store.js';
import { listNames } from '../lib/format.js';
import { useAtom } from '../lib/use-atom.js';

export function TypingIndicator({ store, conversationId }: { store: ChatStore; conversationId: string }) {
  const names = useAtom(store.typing(conversationId)).map((id) => store.users.name(id));
  const text = names.length === 0 ? '' : names.length > 3 ? 'Several people are typing…' : `${listNames(names)} ${names.length === 1 ? 'is' : 'are'} typing…`;
  return (
    <div class="typing" aria-live="polite">
      {text ? (
        <span>
          <span class="typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </span>
      ) : null}
    </div>
  );
}
