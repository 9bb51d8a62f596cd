import type { Message } from '@pneumatic/protocol';
import { requireMembership } from './conversation.policy.js';
import { AppError, notFound } from './errors.js';
import type { EventPublisher } from './ports/events.js';
import type { FollowedThread, HistoryPageJson, HistoryQuery, Store } from './ports/repositories.js';

export interface ThreadServiceDeps {
  store: Store;
  events: EventPublisher;
}

/**
 * Reading threads, and each user's following of and read position in them (docs/API.md,
 * "Replies and threads"). Posting in a thread is a send (MessageService.send with
 * thread_root_id). Members only: 404 for an unknown message, 403 not_member otherwise. A deleted
 * root keeps its thread readable.
 */
export class ThreadService {
  constructor(private readonly deps: ThreadServiceDeps) {}

  /** The root as it is now and a page of its replies, with history's cursors. */
  async page(callerId: string, rootId: string, query: HistoryQuery): Promise<{ root: Message; page: HistoryPageJson }> {
    if (query.before !== undefined && query.after !== undefined) {
      throw new AppError('invalid_request', 'Give at most one of before and after.');
    }
    const root = await this.findRoot(callerId, rootId);
    return { root, page: await this.deps.store.threads.pageJson(root.message_id, query) };
  }

  /** Moves the caller's position in the thread forward (never back); the caller's other devices are told. */
  async markRead(callerId: string, rootId: string, seq: number): Promise<{ message_id: string; conversation_id: string; last_read_seq: number }> {
    const root = await this.findRoot(callerId, rootId);
    const { last_read_seq, moved } = await this.deps.store.threads.markRead(root, callerId, seq);
    if (moved) {
      this.deps.events.publish({ type: 'thread.read', conversation_id: root.conversation_id, message_id: root.message_id, user_id: callerId, seq: last_read_seq });
    }
    return { message_id: root.message_id, conversation_id: root.conversation_id, last_read_seq };
  }

  /** Following is idempotent; a thread with no reply yet may be followed too. */
  async setFollowing(callerId: string, rootId: string, following: boolean): Promise<void> {
    const root = await this.findRoot(callerId, rootId);
    await this.deps.store.threads.setFollowing(root, callerId, following);
  }

  followed(callerId: string, limit: number): Promise<FollowedThread[]> {
    return this.deps.store.threads.followed(callerId, limit);
  }

  /** The message, if the caller is a member of its conversation and it can have a thread (not itself a thread reply). */
  private async findRoot(callerId: string, rootId: string): Promise<Message> {
    const root = await this.deps.store.messages.findById(rootId);
    if (!root) throw notFound('Message');
    await requireMembership(this.deps.store, root.conversation_id, callerId);
    if (root.thread_root_id !== null) throw new AppError('nested_thread', 'A thread reply has no thread of its own: open its root\'s thread.');
    return root;
  }
}
