/**
 * A followed thread's unread replies (docs/API.md, "Following threads and their unread
 * replies"): replies after your read position, sent by others, not deleted. Counted from the
 * replies held when they are all held; otherwise from `GET /threads`' count, plus the replies
 * that arrived after that answer. Whether it is followed is thread-follow.ts' answer.
 */
import type { FollowedThread, Message } from '@pneumatic/client';

/** What `GET /threads` said about one thread, kept until the next answer. */
export interface ListedThread {
  lastReadSeq: number;
  unreadCount: number;
  /** The root's last reply time in that answer: replies after it came in since. */
  lastReplyAt: string | null;
}

export function listedThread(thread: FollowedThread): ListedThread {
  return { lastReadSeq: thread.last_read_seq, unreadCount: thread.unread_count, lastReplyAt: thread.root.thread?.last_reply_at ?? null };
}

export interface ThreadUnreadInput {
  root: Message | undefined;
  /** The thread's replies held locally, deleted ones included. */
  replies: readonly Message[];
  readSeq: number;
  selfId: string;
  /** You follow it: otherwise nothing in it is counted. */
  followed: boolean;
  listed: ListedThread | undefined;
}

export function threadUnread({ root, replies, readSeq, selfId, followed, listed }: ThreadUnreadInput): number {
  if (!root?.thread || !followed) return 0;
  const unreadFrom = (after: (reply: Message) => boolean) => replies.filter((r) => after(r) && r.sender_id !== selfId && !r.deleted).length;
  const local = unreadFrom((r) => r.seq > readSeq);
  // reply_count includes deleted replies, as the held replies do.
  if (!listed || replies.length >= root.thread.reply_count) return local;
  // Your position moved since the list (read here or on another device): the replies after it are the latest ones, held live.
  if (readSeq > listed.lastReadSeq) return local;
  const since = listed.lastReplyAt;
  return listed.unreadCount + unreadFrom((r) => r.seq > readSeq && (since === null || r.created_at > since));
}
