/**
 * Under and beside a message: "Reply" (quote it in the next send of the composer it belongs to),
 * "Thread" (open its thread in the panel), and under a thread root "N replies · last reply time"
 * with "N new" when a thread you follow has unread replies from others.
 * Thread replies start no thread (docs/API.md: a thread reply cannot start a thread of its own).
 */
import type { Message } from '@pneumatic/client';
import type { ChatStore } from '../lib/chat-store.js';
import { timeLabel } from '../lib/format.js';
import { useAtom } from '../lib/use-atom.js';
import { composerInputId } from '../lib/stores/reply-targets.js';

/** The composer a message's Reply fills: its thread panel's when shown there, else the conversation's. */
function composerOf(message: Message, inThread: boolean): { key: string; threadRootId?: string } {
  if (!inThread) return { key: message.conversation_id };
  const rootId = message.thread_root_id ?? message.message_id;
  return { key: rootId, threadRootId: rootId };
}

export function MessageReplyButtons({ store, message, inThread }: { store: ChatStore; message: Message; inThread: boolean }) {
  if (message.deleted) return null;
  const sender = message.sender_id === store.me.id ? 'yourself' : store.users.name(message.sender_id);
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

/** "3 replies · 2 new · last reply 10:42" under a thread root in the conversation; opens the thread. */
export function ThreadSummaryButton({ store, message }: { store: ChatStore; message: Message }) {
  const thread = message.thread;
  if (!thread || message.thread_root_id) return null;
  return <ThreadSummary store={store} message={message} replyCount={thread.reply_count} lastReplyAt={thread.last_reply_at} />;
}

function ThreadSummary({ store, message, replyCount, lastReplyAt }: { store: ChatStore; message: Message; replyCount: number; lastReplyAt: string }) {
  const unread = useAtom(store.threads.unread(message.conversation_id, message.message_id));
  const count = `${replyCount} ${replyCount === 1 ? 'reply' : 'replies'}`;
  const when = timeLabel(lastReplyAt);
  // The visible text reads "3 replies 2 new · last reply …" (the space keeps the words apart for
  // axe's visible-text-in-name check); the name says it as a phrase.
  const name = `${count}${unread > 0 ? `, ${unread} new` : ''} · last reply ${when}`;
  return (
    <button type="button" class="thread-summary" aria-label={name} onClick={() => store.threads.open(message.conversation_id, message.message_id)}>
      <span class="thread-summary__count">{count}</span>
      {unread > 0 ? ' ' : null}
      {unread > 0 ? <span class="thread-summary__new">{unread} new</span> : null}
      <span class="thread-summary__when">
        · last reply <time dateTime={lastReplyAt}>{when}</time>
      </span>
    </button>
  );
}
