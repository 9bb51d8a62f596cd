/**
 * The history: newest at the bottom, older pages loaded when scrolled to the top (or with the
 * button), day separators, sender names on the first of a run, pending and failed sends last.
 * After a jump to a message (a search result) it is scrolled to and highlighted, and the history
 * not loaded between it and the rest shows as "Load newer messages" gaps. A history that starts
 * where retention deleted the older messages says so at its top.
 * It follows the conversation's messages slice only: typing, read receipts and unread counts
 * never re-render it (`data-renders` counts its renders, for the browser tests).
 */
import type { Message } from '@pneumatic/client';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ChatStore } from '../lib/chat-store.js';
import { dayKey, dayLabel } from '../lib/format.js';
import { EXPIRED_HISTORY_TEXT } from '../lib/retention-text.js';
import { gapsByAnchor } from '../lib/stores/history-gaps.js';
import type { PendingSend } from '../lib/stores/messages-store.js';
import { useAtom } from '../lib/use-atom.js';
import { HistoryGap } from './history-gap.js';
import { MessageItem, PendingItem } from './message-item.js';

/** Within this many pixels of the bottom, new messages keep the view pinned to the bottom. */
const STICKY_PX = 120;
const LOAD_OLDER_PX = 150;
/** Consecutive messages of one sender within this long share one name heading. */
const RUN_MS = 5 * 60_000;

export function MessageList({ store, conversationId }: { store: ChatStore; conversationId: string }) {
  const scroller = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const anchor = useRef<number | null>(null);
  const lastKey = useRef<string | null>(null);
  const renders = useRef(0);
  const view = useAtom(store.messages.of(conversationId));
  const { state: connection } = useAtom(store.connection.view);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { messages } = view;
  const gaps = gapsByAnchor(view.gaps, messages);
  // Thread sends show in their thread's panel; a failed one shows here too, with its retry.
  const pending = view.pending.filter((p) => !p.thread_root_id || p.status === 'failed');
  const latest = messages.at(-1);
  const bottomKey = `${pending.at(-1)?.message_id ?? ''}${latest?.message_id ?? ''}${messages.length}`;
  renders.current++;

  // The latest page, once per session; tried again when the connection comes back.
  useEffect(() => {
    if (connection !== 'live') return;
    store.messages.open(conversationId).then(
      () => setLoadError(null),
      () => setLoadError('Could not load the messages. They will appear once the connection is back.'),
    );
  }, [store, conversationId, connection]);

  // Whatever is on screen while the page is visible counts as read.
  const latestSeq = view.latestSeq;
  useEffect(() => {
    const markIfVisible = () => {
      if (document.visibilityState === 'visible' && latestSeq > 0) store.markRead(conversationId, latestSeq);
    };
    markIfVisible();
    document.addEventListener('visibilitychange', markIfVisible);
    return () => document.removeEventListener('visibilitychange', markIfVisible);
  }, [store, conversationId, latestSeq, connection]);

  const loadOlder = () => {
    const el = scroller.current;
    if (!el || !view.hasMore || view.expired || view.loading || !view.loaded) return;
    anchor.current = el.scrollHeight - el.scrollTop;
    store.messages.loadOlder(conversationId).catch(() => (anchor.current = null));
  };

  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    if (anchor.current !== null && !view.loading) {
      // Older messages were prepended: keep the same message under the reader's eyes.
      el.scrollTop = el.scrollHeight - anchor.current;
      anchor.current = null;
    } else if (bottomKey !== lastKey.current) {
      const ownNewest = pending.length > 0 || latest?.sender_id === store.me.id;
      if (pinned.current || ownNewest || lastKey.current === null) el.scrollTop = el.scrollHeight;
    }
    lastKey.current = bottomKey;
  });

  // A jump to a message: scrolled to the middle, focused, and kept there (not pinned to the bottom).
  const target = view.target;
  useLayoutEffect(() => {
    const element = target ? scroller.current?.querySelector<HTMLElement>(`[data-seq="${target.seq}"]`) : null;
    if (!element) return;
    pinned.current = false;
    element.scrollIntoView({ block: 'center' });
    element.tabIndex = -1;
    element.focus({ preventScroll: true });
  }, [target]);
  useEffect(() => () => store.messages.clearTarget(conversationId), [store, conversationId]);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
    if (el.scrollTop < LOAD_OLDER_PX) loadOlder();
  };

  return (
    <>
      {loadError && !view.loaded ? <p class="notice">{loadError}</p> : null}
      <div class="messages" ref={scroller} onScroll={onScroll} role="log" aria-label="Conversation history" tabIndex={0} data-renders={renders.current}>
        <div class="messages__start">
          {!view.loaded ? (
            <span class="muted">Loading…</span>
          ) : view.expired ? (
            <p class="messages__expired">{EXPIRED_HISTORY_TEXT}</p>
          ) : view.hasMore ? (
            <button type="button" class="button button--ghost button--small" onClick={loadOlder} disabled={view.loading}>
              {view.loading ? 'Loading…' : 'Load older'}
            </button>
          ) : (
            <span class="muted">{messages.length === 0 ? 'No messages yet. Say hello!' : 'This is the beginning of the conversation.'}</span>
          )}
        </div>
        <ol class="messages__list">
          {(gaps.get(0) ?? []).map((seq) => (
            <HistoryGap key={`gap-${seq}`} store={store} conversationId={conversationId} after={seq} />
          ))}
          {messages.flatMap((message, i) => [
            ...renderMessage(store, message, messages[i - 1], message === latest, message.seq === target?.seq),
            ...(gaps.get(message.seq) ?? []).map((seq) => <HistoryGap key={`gap-${seq}`} store={store} conversationId={conversationId} after={seq} />),
          ])}
          {pending.map((p, i) => (
            <PendingItem key={p.message_id} store={store} pending={p} showName={i === 0 && !isOwnRun(store, latest, p)} />
          ))}
        </ol>
      </div>
    </>
  );
}

function renderMessage(store: ChatStore, message: Message, previous: Message | undefined, isLatest: boolean, highlighted: boolean) {
  const newDay = !previous || dayKey(previous.created_at) !== dayKey(message.created_at);
  const sameRun = !newDay && previous?.sender_id === message.sender_id && Date.parse(message.created_at) - Date.parse(previous.created_at) < RUN_MS;
  return [
    newDay ? (
      <li key={`day-${message.seq}`} class="day-separator">
        <span>{dayLabel(message.created_at)}</span>
      </li>
    ) : null,
    <MessageItem key={message.message_id} store={store} message={message} showName={!sameRun} isLatest={isLatest} highlighted={highlighted} />,
  ];
}

function isOwnRun(store: ChatStore, last: Message | undefined, pending: PendingSend): boolean {
  return last?.sender_id === store.me.id && pending.created_at - Date.parse(last.created_at) < RUN_MS;
}
