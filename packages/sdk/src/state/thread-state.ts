/**
 * Threads (docs/API.md, "Replies and threads"): a thread reply is a message of its conversation
 * (it carries `thread_root_id`), so the conversation's window holds the recent ones; the pages a
 * UI loads with `GET /messages/{id}/thread` are kept here beside it, with the replies that arrive
 * for those threads afterwards, and the roots as they were last seen. Also your read position in
 * each thread, which only moves forward (your devices' `thread.read` frames, your own answers,
 * your own posts, `GET /threads`).
 */
import type { FollowedThread, Message } from '../types.js';
import { isOlder, type MessageWindow } from './message-window.js';

interface LoadedThread {
  root: Message;
  /** seq → reply: the pages loaded, and replies seen since. */
  replies: Map<number, Message>;
}

export class ThreadState {
  /** conversation id → root id → thread. Only threads a page was loaded for. */
  private readonly loaded = new Map<string, Map<string, LoadedThread>>();
  /** root id → your read position in its thread, with its conversation (to forget it with the conversation). */
  private readonly readSeqs = new Map<string, { conversationId: string; seq: number }>();

  constructor(
    private readonly windows: ReadonlyMap<string, MessageWindow>,
    private readonly selfId: () => string | null,
    /** A thread's replies, root or your read position changed: the conversation id. */
    private readonly onChange: (conversationId: string) => void,
  ) {}

  /** The thread's replies known (the window's and the pages loaded), ascending by seq, newest version of each. */
  replies(conversationId: string, rootId: string): Message[] {
    const bySeq = new Map<number, Message>(this.loaded.get(conversationId)?.get(rootId)?.replies);
    for (const message of this.windows.get(conversationId)?.messages() ?? []) {
      if (message.thread_root_id === rootId && !isOlder(message, bySeq.get(message.seq))) bySeq.set(message.seq, message);
    }
    return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The root: from the window when held there, else as its thread's last page or update left it. */
  root(conversationId: string, rootId: string): Message | undefined {
    const held = this.windows.get(conversationId)?.byId(rootId);
    const kept = this.loaded.get(conversationId)?.get(rootId)?.root;
    if (held && kept) return isOlder(held, kept) ? kept : held;
    return held ?? kept;
  }

  /** Your read position in the thread: the seq of the last reply read, 0 when unknown. */
  readSeq(rootId: string): number {
    return this.readSeqs.get(rootId)?.seq ?? 0;
  }

  /** A page of `GET /messages/{id}/thread`: kept, and the thread followed live from now on. */
  applyPage(root: Message, replies: readonly Message[]): void {
    const id = root.conversation_id;
    let threads = this.loaded.get(id);
    if (!threads) this.loaded.set(id, (threads = new Map()));
    const thread = threads.get(root.message_id) ?? { root, replies: new Map() };
    if (!isOlder(root, thread.root)) thread.root = root;
    for (const reply of replies) if (!isOlder(reply, thread.replies.get(reply.seq))) thread.replies.set(reply.seq, reply);
    threads.set(root.message_id, thread);
    this.onChange(id);
  }

  /**
   * A message seen live, caught up or edited: a reply or a root of a loaded thread is kept; your
   * own reply moves your read position to it (the server marks it read).
   */
  offer(message: Message): void {
    const id = message.conversation_id;
    let changed = false;
    const rootId = message.thread_root_id;
    if (rootId) {
      const thread = this.loaded.get(id)?.get(rootId);
      if (thread && !isOlder(message, thread.replies.get(message.seq))) {
        thread.replies.set(message.seq, message);
        changed = true;
      }
      if (message.sender_id === this.selfId() && this.moveRead(id, rootId, message.seq)) changed = true;
    } else {
      const thread = this.loaded.get(id)?.get(message.message_id);
      if (thread && !isOlder(message, thread.root)) {
        thread.root = message;
        changed = true;
      }
    }
    // Any message of the window may be a reply: a UI showing a thread asks again.
    if (rootId || message.thread) changed = true;
    if (changed) this.onChange(id);
  }

  /** Your position in a thread moved (`thread.read` frame, your own mark-read answer). */
  read(conversationId: string, rootId: string, seq: number): void {
    if (this.moveRead(conversationId, rootId, seq)) this.onChange(conversationId);
  }

  /** `GET /threads`: your positions and the roots as they are now. */
  applyFollowed(threads: readonly FollowedThread[]): void {
    for (const { root, last_read_seq } of threads) {
      const thread = this.loaded.get(root.conversation_id)?.get(root.message_id);
      if (thread && !isOlder(root, thread.root)) thread.root = root;
      this.moveRead(root.conversation_id, root.message_id, last_read_seq);
      this.onChange(root.conversation_id);
    }
  }

  /** The conversation was reset by a snapshot: its loaded pages may have gaps now (load them again). */
  resetPages(conversationId: string): void {
    if (this.loaded.delete(conversationId)) this.onChange(conversationId);
  }

  /** You left the conversation: everything of its threads goes. */
  forget(conversationId: string): void {
    this.loaded.delete(conversationId);
    for (const [rootId, read] of this.readSeqs) if (read.conversationId === conversationId) this.readSeqs.delete(rootId);
  }

  private moveRead(conversationId: string, rootId: string, seq: number): boolean {
    if (seq <= this.readSeq(rootId)) return false;
    this.readSeqs.set(rootId, { conversationId, seq });
    return true;
  }
}
