/** The storage port of replies and threads (docs/API.md, "Replies and threads"); part of `Store`. */
import type { Attachment, Message } from '@pneumatic/protocol';
import type { HistoryPageJson, HistoryQuery, MessageRef, NewMessage } from './repositories.js';

/**
 * A send that names a quoted message, a thread root or attachments (docs/API.md, "Replies and
 * threads", "Files and images"): the sends that take this path rather than the group commit.
 */
export interface NewReply extends NewMessage {
  reply_to_id: string | null;
  thread_root_id: string | null;
  /**
   * The sender's uploads to attach, as the message will carry them (URLs unsigned); stored only
   * if each is still the sender's and ready when the send commits (docs/API.md, "Files and images").
   */
  attachments?: readonly Attachment[];
}

/** Why a reply was not stored: its root or quoted message is not one of the conversation's (unknown), is a thread reply (nested), or is deleted. */
export type ReplyRefusal = 'root_unknown' | 'root_nested' | 'root_deleted' | 'target_unknown' | 'target_deleted' | 'attachment_unavailable';

/**
 * `created`: stored with the next seq (event_seq = message.version); `root` is the thread root
 * with its new summary, changed in the same transaction as the conversation's next event
 * (`thread.updated`, event_seq = root.version), null for a quoted reply outside a thread.
 * `existing`: this message_id was already stored (checked first, as for any send).
 */
export type ReplyOutcome =
  | { kind: 'created'; message: Message; root: Message | null }
  | { kind: 'existing'; message: Message }
  | { kind: 'refused'; reason: ReplyRefusal };

/** One thread a user follows, with their position in it. */
export interface FollowedThread {
  root: Message;
  last_read_seq: number;
  unread_count: number;
}

/**
 * Replies and threads. A reply is written in one transaction under the conversation's counter
 * row lock (the lock every change takes), so the checks of its root and quoted message hold
 * until commit and concurrent replies count exactly. Sends naming neither never come here.
 */
export interface ThreadRepository {
  appendReply(reply: NewReply): Promise<ReplyOutcome>;
  /** A thread's replies, ascending by seq, as JSON text (the history page's cursors and JSON). */
  pageJson(rootId: string, query: HistoryQuery): Promise<HistoryPageJson>;
  /**
   * Moves the user's read position in the thread forward to min(seq, the thread's last reply
   * seq), never backwards; `moved` says whether it changed.
   */
  markRead(root: MessageRef, userId: string, seq: number): Promise<{ last_read_seq: number; moved: boolean }>;
  setFollowing(root: MessageRef, userId: string, following: boolean): Promise<void>;
  /** The threads the user follows in conversations they belong to, latest reply first. */
  followed(userId: string, limit: number): Promise<FollowedThread[]>;
}
