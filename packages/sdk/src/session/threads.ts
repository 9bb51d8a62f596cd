/**
 * Threads through a session (docs/API.md, "Replies and threads"): each request's answer is
 * applied to local state as well, so `state.threadReplies` and `state.threadReadSeq` show it at
 * once. Replying in a thread is a send: `session.send(id, text, { threadRootId })`.
 */
import type { RestApi } from '../rest-api.js';
import type { ChatState } from '../state/chat-state.js';
import type { FollowedThread, ThreadPage, ThreadQuery, ThreadReadPosition } from '../types.js';

export class SessionThreads {
  constructor(
    private readonly api: RestApi,
    private readonly state: ChatState,
  ) {}

  /** Loads a page of the thread (the latest 50 by default) into state; later replies arrive live. */
  async load(rootId: string, query: ThreadQuery = {}): Promise<ThreadPage> {
    const page = await this.api.thread(rootId, query);
    this.state.applyThreadPage(page);
    return page;
  }

  /** Moves your read position in the thread forward; your other devices hear it as a `thread.read` frame. */
  async markRead(rootId: string, seq: number): Promise<ThreadReadPosition> {
    const position = await this.api.markThreadRead(rootId, seq);
    this.state.threads.read(position.conversation_id, rootId, position.last_read_seq);
    return position;
  }

  follow(rootId: string): Promise<void> {
    return this.api.followThread(rootId);
  }

  unfollow(rootId: string): Promise<void> {
    return this.api.unfollowThread(rootId);
  }

  /** The threads you follow with their unread counts (the way back to your positions after being offline). */
  async list(query: { limit?: number } = {}): Promise<FollowedThread[]> {
    const threads = await this.api.listThreads(query);
    this.state.threads.applyFollowed(threads);
    return threads;
  }
}
