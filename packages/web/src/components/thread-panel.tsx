/**
 * A thread beside its conversation (full screen on a narrow viewport): the root, its replies
 * (loaded with GET /messages/{id}/thread, then live) and a composer whose sends are replies in
 * it. Showing replies marks the thread read up to the last one; the header follows or unfollows
 * it. Escape or × closes it, and focus goes back to what opened it.
 */
import { useEffect, useLayoutEffect, useRef } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { useAtom } from '../lib/use-atom.js';
import { Composer } from './composer.js';
import { MessageItem, PendingItem } from './message-item.js';
import { ThreadFollowButton } from './thread-follow-button.js';

export function ThreadPanel({ store, conversationId }: { store: ChatStore; conversationId: string }) {
  const open = useAtom(store.threads.panel);
  if (!open || open.conversationId !== conversationId) return null;
  return <OpenThreadPanel key={open.rootId} store={store} conversationId={conversationId} rootId={open.rootId} />;
}

function OpenThreadPanel({ store, conversationId, rootId }: { store: ChatStore; conversationId: string; rootId: string }) {
  const view = useAtom(store.threads.of(conversationId, rootId));
  const history = useAtom(store.messages.of(conversationId));
  const sends = history.pending.filter((p) => p.thread_root_id === rootId);
  // A reply opened from the search results is highlighted here.
  const targetSeq = history.target?.seq;
  const scroller = useRef<HTMLDivElement>(null);
  const { root, replies } = view;
  const lastSeq = replies.at(-1)?.seq ?? 0;
  const count = root?.thread?.reply_count ?? replies.length;

  // Start in the thread's composer.
  useEffect(() => document.getElementById('thread-composer-input')?.focus(), []);

  // Shown while the page is visible: read.
  useEffect(() => {
    if (lastSeq > 0 && document.visibilityState === 'visible') store.threads.markRead(rootId, lastSeq);
  }, [store, rootId, lastSeq]);

  // New replies keep the view at the bottom; a reply opened from the search results is scrolled to.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
    el?.querySelector('[aria-current="true"]')?.scrollIntoView({ block: 'center' });
  }, [lastSeq, sends.length, targetSeq]);

  return (
    <aside
      class="thread-panel"
      aria-labelledby="thread-heading"
      onKeyDown={(e) => {
        // Escape inside an edit, a delete confirmation or the emoji picker closes only that.
        if (e.key === 'Escape' && !(e.target as Element).closest('.message__edit, .message__confirm, [role="dialog"]')) store.threads.close();
      }}
    >
      <header class="thread-panel__header">
        <h3 id="thread-heading">Thread</h3>
        <span class="muted thread-panel__count">
          {count} {count === 1 ? 'reply' : 'replies'}
        </span>
        <ThreadFollowButton store={store} conversationId={conversationId} rootId={rootId} />
        <button type="button" class="button button--ghost button--icon" aria-label="Close thread" onClick={() => store.threads.close()}>
          ×
        </button>
      </header>
      <div class="thread-panel__body" ref={scroller} role="log" aria-label="Thread replies" tabIndex={0}>
        {view.error ? <p class="notice">{view.error}</p> : null}
        <ol class="messages__list">
          {root ? <MessageItem store={store} message={root} showName isLatest={false} inThread /> : null}
          <li class="day-separator thread-panel__divider">
            <span>{view.loading && replies.length === 0 ? 'Loading…' : replies.length === 0 ? 'No replies yet' : `${count} ${count === 1 ? 'reply' : 'replies'}`}</span>
          </li>
          {replies.map((reply, i) => (
            <MessageItem
              key={reply.message_id}
              store={store}
              message={reply}
              showName={replies[i - 1]?.sender_id !== reply.sender_id}
              isLatest={false}
              inThread
              highlighted={reply.seq === targetSeq}
            />
          ))}
          {sends.map((p) => (
            <PendingItem key={p.message_id} store={store} pending={p} showName={false} />
          ))}
        </ol>
      </div>
      <Composer key={rootId} store={store} conversationId={conversationId} threadRootId={rootId} />
    </aside>
  );
}
