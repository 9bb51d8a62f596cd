/**
 * Local state a chat UI needs, kept current by the session before it emits each event (so a
 * listener reading it sees the event applied): message windows, unread counts and mentions, typing users,
 * the other members' read positions, each conversation's last message, its pins, and reactions
 * (counts in each Message, your own beside them). `changes` says what
 * changed, per entity and conversation, including updates no session event reports (a sync,
 * loaded history, your own acknowledged send).
 */
import type { Conversation, ConversationSnapshot, ConversationSummary, Member, Message, MyReactions, ThreadPage } from '../types.js';
import { ChatStateView } from './chat-state-view.js';
import { MessageWindow, isOlder } from './message-window.js';

export interface ChatStateOptions {
  /** Messages kept per conversation. Default 200; `Infinity` keeps all (a UI that scrolls back through history). */
  windowSize?: number;
  /** How long a `typing` frame counts, ms. Default 6,000. */
  typingExpiryMs?: number;
}

export class ChatState extends ChatStateView {
  constructor(
    selfId: () => string | null,
    options: ChatStateOptions = {},
    onTypingStop: (conversationId: string, userId: string) => void = () => {},
    /** A member's read position moved forward (not when a conversation is first seen or reset). */
    private readonly onRead: (conversationId: string, userId: string, seq: number) => void = () => {},
  ) {
    super(selfId, options, onTypingStop);
  }

  // Updates, called by the session.

  applySummary(summary: ConversationSummary): void {
    const { last_message, unread_count, unread_mentions, ...conversation } = summary;
    if (last_message) this.lastMessages.offer(last_message);
    this.seed(() => this.applyConversation(conversation));
    const self = conversation.members.find((m) => m.user_id === this.selfId());
    this.unread.seed(conversation.id, unread_count, self?.last_read_seq ?? 0, conversation.last_seq, conversation.last_event_seq);
    this.mentions.seed(conversation.id, unread_mentions ?? 0, self?.last_read_seq ?? 0, conversation.last_seq, conversation.last_event_seq);
    this.changes.emit('unread', conversation.id);
  }

  applyConversation(conversation: Conversation): void {
    this.conversationsById.set(conversation.id, conversation);
    for (const member of conversation.members) this.users.offerMember(member);
    const moved = this.reads.seed(conversation);
    if (!this.seeding) for (const { user_id, seq } of moved) this.onRead(conversation.id, user_id, seq);
    this.changes.emit('conversation', conversation.id);
    this.changes.emit('reads', conversation.id);
    // Your own read position in it may be newer than the one unread counts know (a read frame lost).
    const self = conversation.members.find((m) => m.user_id === this.selfId());
    if (self && self.last_read_seq > this.unread.lastReadSeq(conversation.id)) {
      this.unread.read(conversation.id, self.last_read_seq);
      this.mentions.read(conversation.id, self.last_read_seq);
      this.changes.emit('unread', conversation.id);
    }
  }

  applyMessage(message: Message): void {
    const id = message.conversation_id;
    this.window(id).put(message);
    this.unread.message(message);
    this.mentions.message(message);
    this.typingTracker.stop(id, message.sender_id);
    this.threads.offer(message);
    this.changes.emit('messages', id);
    if (this.lastMessages.offer(message)) this.changes.emit('conversation', id);
    if (message.sender_id !== this.selfId()) this.changes.emit('unread', id);
  }

  /**
   * Your own send, acknowledged: shown at once, whether its `message` event came first, comes
   * later, or never comes (sent over HTTP without a socket). The event, if it comes, replaces it.
   */
  applySent(message: Message): void {
    this.window(message.conversation_id).put(message);
    this.threads.offer(message);
    this.changes.emit('messages', message.conversation_id);
    if (this.lastMessages.offer(message)) this.changes.emit('conversation', message.conversation_id);
  }

  /** Older history loaded by the app (it does not change unread counts), with the page's `my_reactions` when it has them. */
  applyHistory(messages: Message[], mine?: MyReactions): void {
    const touched = new Set<string>();
    for (const message of messages) {
      if (mine) this.reactionState.replaceOwn(message.conversation_id, message.message_id, mine[message.message_id] ?? [], message.version);
      this.window(message.conversation_id).put(message);
      this.threads.offer(message);
      touched.add(message.conversation_id);
      if (this.lastMessages.offer(message)) this.changes.emit('conversation', message.conversation_id);
    }
    for (const id of touched) this.changes.emit('messages', id);
  }

  /** An edit or delete; false (nothing changes) when a newer version of the message is held. */
  applyUpdate(message: Message): boolean {
    const id = message.conversation_id;
    // A deleted message loses its pin (no message.unpinned says so), whichever copy is held.
    if (message.deleted) this.pinned.unpin(id, message.message_id);
    const held = this.windows.get(id)?.get(message.seq) ?? this.lastMessages.get(id);
    // A thread's root or reply may be held only with its thread (a root older than the window).
    this.threads.offer(message);
    if (isOlder(message, held)) return false;
    this.windows.get(id)?.update(message);
    this.unread.updated(message);
    const before = held?.seq === message.seq ? held : undefined;
    this.mentions.updated(message, before);
    this.changes.emit('messages', id);
    if (this.lastMessages.update(message)) this.changes.emit('conversation', id);
    if (message.deleted || this.mentions.mentionsMe(message) || (before && this.mentions.mentionsMe(before))) this.changes.emit('unread', id);
    if (message.deleted && this.reactionState.own.forgetMessage(id, message.message_id)) this.changes.emit('reactions', id);
    return true;
  }

  /**
   * Sets one member of a conversation to its state in a change-feed event: `member` null means
   * no longer a member (for you: the conversation goes away).
   */
  applyMember(conversationId: string, userId: string, member: Member | null): void {
    if (!member) return this.applyMemberRemoved(conversationId, userId);
    const conversation = this.conversationsById.get(conversationId);
    if (!conversation) return;
    const known = conversation.members.some((m) => m.user_id === userId);
    const members = known ? conversation.members.map((m) => (m.user_id === userId ? member : m)) : [...conversation.members, member];
    this.applyConversation({ ...conversation, members });
  }

  /**
   * Replaces everything known about a conversation with a snapshot (joined, or reset after
   * the events since your position expired). True when the unread count it seeds is exact: false
   * when unread messages reach back before the snapshot's messages (see `seedUnread`).
   */
  applySnapshot(snapshot: ConversationSnapshot): boolean {
    const { conversation, messages } = snapshot;
    const id = conversation.id;
    this.windows.delete(id);
    this.lastMessages.forget(id);
    this.reads.forget(id);
    // A server from before pins sends none.
    this.pinned.reset(id, snapshot.pins ?? []);
    this.reactionState.own.forget(id);
    this.threads.resetPages(id);
    this.seed(() => this.applyConversation(conversation));
    for (const message of messages) {
      this.window(id).put(message);
      this.lastMessages.offer(message);
      this.reactionState.own.replace(id, message.message_id, snapshot.my_reactions?.[message.message_id] ?? [], message.version);
    }
    const lastRead = conversation.members.find((m) => m.user_id === this.selfId())?.last_read_seq ?? 0;
    const oldest = messages[0]?.seq ?? conversation.last_seq + 1;
    const exact = !snapshot.has_more_messages || oldest <= lastRead + 1;
    // The snapshot's unread messages count one by one; until seeded exactly, every message
    // between the read position and the snapshot counts too.
    this.unread.seed(id, exact ? 0 : oldest - 1 - lastRead, lastRead, oldest - 1, conversation.last_event_seq);
    // The snapshot's count covers its messages up to its last_seq: those count one by one instead.
    const counted = messages.filter((m) => m.seq > lastRead && m.seq <= conversation.last_seq && this.mentions.mentionsMe(m)).length;
    this.mentions.seed(id, exact ? 0 : Math.max(0, (snapshot.unread_mentions ?? 0) - counted), lastRead, oldest - 1, conversation.last_event_seq);
    for (const message of messages) {
      this.unread.message(message);
      this.mentions.message(message);
    }
    for (const entity of ['messages', 'unread', 'pins', 'reactions'] as const) this.changes.emit(entity, id);
    return exact;
  }

  /** The server's unread count (and last message) for a known conversation, from `GET /conversations`. */
  seedUnread(summary: ConversationSummary): void {
    this.unread.reseed(summary.id, summary.unread_count, summary.last_seq, summary.last_event_seq);
    this.mentions.reseed(summary.id, summary.unread_mentions ?? 0, summary.last_seq, summary.last_event_seq);
    this.changes.emit('unread', summary.id);
    if (summary.last_message && this.lastMessages.offer(summary.last_message)) this.changes.emit('conversation', summary.id);
  }

  applyRead(conversationId: string, userId: string, seq: number): void {
    if (this.reads.read(conversationId, userId, seq)) this.onRead(conversationId, userId, seq);
    this.changes.emit('reads', conversationId);
    if (userId === this.selfId()) {
      this.unread.read(conversationId, seq);
      this.mentions.read(conversationId, seq);
      this.changes.emit('unread', conversationId);
    }
  }

  /** A member joined (again): their read position is the new membership's, even below one known before. */
  restartMemberRead(conversationId: string, userId: string, seq: number): void {
    this.reads.removeMember(conversationId, userId);
    this.reads.read(conversationId, userId, seq);
    if (userId === this.selfId()) {
      this.unread.restartRead(conversationId, seq);
      this.mentions.restartRead(conversationId, seq);
    }
    this.changes.emit('reads', conversationId);
  }

  /** A page of a thread (`GET /messages/{id}/thread`): its replies kept, its root applied as an update. */
  applyThreadPage(page: ThreadPage): void {
    this.applyUpdate(page.root);
    this.threads.applyPage(page.root, page.messages);
  }

  applyTyping(conversationId: string, userId: string): void {
    this.typingTracker.typing(conversationId, userId);
    this.changes.emit('typing', conversationId);
  }

  applyMemberRemoved(conversationId: string, userId: string): void {
    if (userId === this.selfId()) {
      this.conversationsById.delete(conversationId);
      this.windows.delete(conversationId);
      this.lastMessages.forget(conversationId);
      this.unread.forget(conversationId);
      this.mentions.forget(conversationId);
      this.reads.forget(conversationId);
      this.pinned.forget(conversationId);
      this.reactionState.own.forget(conversationId);
      this.threads.forget(conversationId);
      this.notificationSettings.forget(conversationId);
      for (const entity of ['conversation', 'messages', 'unread', 'reads', 'pins', 'reactions', 'threads'] as const) this.changes.emit(entity, conversationId);
      return;
    }
    this.reads.removeMember(conversationId, userId);
    const conversation = this.conversationsById.get(conversationId);
    if (conversation) this.conversationsById.set(conversationId, { ...conversation, members: conversation.members.filter((m) => m.user_id !== userId) });
    this.changes.emit('conversation', conversationId);
    this.changes.emit('reads', conversationId);
  }

  /**
   * Retention deleted every message of the conversation at or below `throughSeq` (docs/API.md,
   * "Retention"): they leave the window, the last message and the pins.
   */
  applyExpiry(conversationId: string, throughSeq: number): void {
    const conversation = this.conversationsById.get(conversationId);
    if (conversation && (conversation.expired_through_seq ?? 0) < throughSeq) {
      this.conversationsById.set(conversationId, { ...conversation, expired_through_seq: throughSeq });
      this.changes.emit('conversation', conversationId);
    }
    const gone = this.window(conversationId).dropThrough(throughSeq);
    for (const messageId of gone) this.pinned.unpin(conversationId, messageId);
    if (gone.length > 0) this.changes.emit('messages', conversationId);
    const last = this.lastMessages.get(conversationId);
    if (last && last.seq <= throughSeq) {
      this.lastMessages.forget(conversationId);
      this.changes.emit('conversation', conversationId);
    }
  }

  dispose(): void {
    this.typingTracker.clear();
  }

  private seed(apply: () => void): void {
    this.seeding = true;
    try {
      apply();
    } finally {
      this.seeding = false;
    }
  }

  private window(conversationId: string): MessageWindow {
    let window = this.windows.get(conversationId);
    if (!window) this.windows.set(conversationId, (window = new MessageWindow(this.options.windowSize)));
    return window;
  }
}
