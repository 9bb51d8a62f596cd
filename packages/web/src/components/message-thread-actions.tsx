/**
 * Under and beside a message: "Reply" (quote it in the next send of the composer it belongs to),
 * "Thread" (open its thread in the panel), and under a thread root "N replies · last reply time".
 * Thread replies start no thread (docs/API.md: a thread reply cannot start a thread of its own).
 */
import type { Message } from '@pneumatic/client';
import type { ChatStore } from '../lib/chat-store.js';
import { timeLabel } from '../lib/format.js';
import { composerInputId } from '../lib/stores/reply-targets.js';

/** The composer a message's Reply fills: its thread panel's when shown there, else the conversation's. */
function composerOf(message: Message, inThread: boolean): { key: string; threadRootId?: string } {
  if (!inThread) return { key: message.conversation_id };
  const rootId = message.thread_root_id ?? message.message_id;
  return { key: rootId, threadRootId: rootId };
}

export function MessageReplyButtons({ store, message, inThread }: { store: ChatStore; message: Message; inThread: boolean }) {
  if (message.deleted) return null;
  const sender = message.sender_id === store.me.id ? 'yourself' : store.username(message.sender_id);
  const reply = () => {
    const { key, threadRootId } = composerOf(message, inThread);
    store.replyTargets.set(key, message);
    document.getElementById(composerInputId(threadRootId))?.focus();
  };
  return (
    <div class="message__actions message__actions--reply">
      <button type="button" class="button button--ghost button--tiny" aria-label={`Reply to ${sender}`} onClick={reply}>
        Reply
      </button>
      {!inThread && !message.thread_root_id ? (
        <button type="button" class="button button--ghost button--tiny" aria-label={`Reply in thread to ${sender}`} onClick={() => store.threads.open(message.conversation_id, message.message_id)}>
          Thread
        </button>
      ) : null}
    </div>
  );
}

/** "3 replies · 10:42" under a thread root in the conversation; opens the thread. */
export function ThreadSummaryButton({ store, message }: { store: ChatStore; message: Message }) {
  const thread = message.thread;
  if (!thread || message.thread_root_id) return null;
  const count = `${thread.reply_count} ${thread.reply_count === 1 ? 'reply' : 'replies'}`;
  return (
    <button type="button" class="thread-summary" onClick={() => store.threads.open(message.conversation_id, message.message_id)}>
      <span class="thread-summary__count">{count}</span>
      <span class="thread-summary__when">
        · last reply <time dateTime={thread.last_reply_at}>{timeLabel(thread.last_reply_at)}</time>
      </span>
    </button>
  );
}
