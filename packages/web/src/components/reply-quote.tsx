/**
 * Quoted replies (docs/API.md, "Replies and threads"): the quote shown above a message that
 * names `reply_to_id`, and the bar above a composer whose next send will quote a message.
 * Excerpts are plain text (one line), never Markdown or HTML.
 */
import type { Message } from '@pneumatic/client';
import { attachmentSummary } from '../lib/attachments.js';
import type { ChatStore } from '../lib/chat-store.js';
import { composerInputId } from '../lib/stores/reply-targets.js';
import { useAtom } from '../lib/use-atom.js';

const EXCERPT_CHARS = 80;

/** The first line of a message, shortened; "deleted message" once deleted. */
export function excerptOf(message: Message): string {
  if (message.deleted) return 'deleted message';
  const line = message.content.trim().split('\n')[0] || attachmentSummary(message);
  return line.length > EXCERPT_CHARS ? `${line.slice(0, EXCERPT_CHARS - 1)}…` : line;
}

function senderOf(store: ChatStore, message: Message): string {
  return message.sender_id === store.me.id ? 'You' : store.users.name(message.sender_id);
}

/** Above a reply's content: who said what it answers. */
export function QuotedMessage({ store, message }: { store: ChatStore; message: Message }) {
  if (!message.reply_to_id) return null;
  const quoted = store.threads.find(message.conversation_id, message.reply_to_id);
  return (
    <blockquote class="quote" aria-label={quoted ? `Reply to ${senderOf(store, quoted)}` : 'Reply to an earlier message'}>
      {quoted ? (
        <>
          <span class="quote__sender">{senderOf(store, quoted)}</span>
          <span class={`quote__text${quoted.deleted ? ' quote__text--deleted' : ''}`}>{excerptOf(quoted)}</span>
        </>
      ) : (
        <span class="quote__text quote__text--deleted">an earlier message</span>
      )}
    </blockquote>
  );
}

/** Above a composer: the message its next send quotes, with a cancel button. */
export function QuoteBar({ store, composerKey, threadRootId }: { store: ChatStore; composerKey: string; threadRootId?: string }) {
  const target = useAtom(store.replyTargets.of(composerKey));
  if (!target) return null;
  const cancel = () => {
    store.replyTargets.set(composerKey, null);
    document.getElementById(composerInputId(threadRootId))?.focus();
  };
  return (
    <div class="quote-bar" role="status">
      <div class="quote-bar__body">
        <span class="quote__sender">Replying to {senderOf(store, target)}</span>
        <span class="quote__text">{excerptOf(target)}</span>
      </div>
      <button type="button" class="button button--ghost button--icon" aria-label="Cancel reply" onClick={cancel}>
        ×
      </button>
    </div>
  );
}
