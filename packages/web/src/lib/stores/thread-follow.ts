/**
 * Whether you follow a thread (docs/API.md, "Following threads and their unread replies"):
 * posting in it follows it (again, after an unfollow), the root's author follows it from its
 * first reply unless they unfollowed, reading does not. The server's answer is `GET /threads`;
 * between two answers this device decides from what it did itself and what arrived since.
 */
import type { Message } from '@pneumatic/client';

/** What the last `GET /threads` answer can say about threads it did not list. */
export interface FollowList {
  /** Fewer threads than asked for: every followed thread was in it, so an unlisted one was not followed. */
  complete: boolean;
  /** The conversation's last seq this device knew when it asked: messages after it may be newer than the answer. */
  sinceSeq: (conversationId: string) => number;
}

export interface ThreadFollowInput {
  conversationId: string;
  root: Message | undefined;
  /** The thread's replies held locally, deleted ones included. */
  replies: readonly Message[];
  selfId: string;
  /** Follow or unfollow from this device, or a reply posted here (true); it wins over the rest. */
  decision: boolean | undefined;
  /** Listed by the last `GET /threads` answer. */
  listed: boolean;
  /** That answer, or null before the first one (the implicit rule alone then). */
  list: FollowList | null;
}

export function threadFollowed({ conversationId, root, replies, selfId, decision, listed, list }: ThreadFollowInput): boolean {
  if (decision !== undefined) return decision;
  if (listed) return true;
  const rootIsMine = root?.sender_id === selfId;
  // No answer yet, or one cut at its limit: the implicit rule (you wrote the root or a reply).
  if (!list?.complete) return rootIsMine || replies.some((r) => r.sender_id === selfId);
  // Not listed means not followed then (an unfollow, perhaps on another device); only what came after can follow it again.
  const since = list.sinceSeq(conversationId);
  const after = replies.filter((r) => r.seq > since);
  if (after.some((r) => r.sender_id === selfId)) return true;
  // The root's author follows from the first reply: when every reply came after the answer (or
  // none has yet), the first one did (or will). An unfollow before any reply made on another
  // device shows from the first answer after a reply.
  const replyCount = root?.thread?.reply_count ?? 0;
  return rootIsMine && after.length >= replyCount;
}
