/**
 * Local state a chat UI needs, kept current by the session before it emits each event (so a
 * listener reading it sees the event applied): message windows, unread counts, typing users
 * and the other members' read positions.
 */
import type { Conversation, ConversationSummary, Message } from '../types.js';
import { MessageWindow } from './message-window.js';
import { ReadPositions } from './read-positions.js';
import { TypingTracker } from './typing-tracker.js';
import { UnreadCounter } from './unread-counter.js';

export interface ChatStateOptions {
  /** Messages kept per conversation. Default 200. */
  windowSize?: number;
  /** How long a `typing` frame counts, ms. Default 6,000. */
  typingExpiryMs?: number;
}

export class ChatState {
  private readonly windows = new Map<string, MessageWindow>();
  private readonly conversationsById = new Map<string, Conversation>();
  private readonly unread: UnreadCounter;
  private readonly reads = new ReadPositions();
  private readonly typingTracker: TypingTracker;

  constructor(
    private readonly selfId: () => string | null,
    private readonly options: ChatStateOptions = {},
    onTypingStop: (conversationId: string, userId: string) => void = () => {},
  ) {
    this.unread = new UnreadCounter(selfId);
    this.typingTracker = new TypingTracker(options.typingExpiryMs, onTypingStop);
  }

  /** Known conversations (as of the last sync or membership event). */
  conversations(): Conversation[] {
    return [...this.conversationsById.values()];
  }

  conversation(id: string): Conversation | undefined {
    return this.conversationsById.get(id);
  }

  /** The message window of a conversation, ascending by seq. */
  messages(conversationId: string): readonly Message[] {
    return this.windows.get(conversationId)?.messages() ?? [];
  }

  unreadCount(conversationId: string): number {
    return this.unread.count(conversationId);
  }

  /** Users (other than you) typing in the conversation right now. */
  typingUsers(conversationId: string): string[] {
    return this.typingTracker.users(conversationId);
  }

  /** Other members' last_read_seq, by user id. */
  readPositions(conversationId: string): Map<string, number> {
    return this.reads.positions(conversationId, this.selfId());
  }

  /** Your own read position. */
  lastReadSeq(conversationId: string): number {
    return this.unread.lastReadSeq(conversationId);
  }

  // Updates, called by the session.

  applySummary(summary: ConversationSummary): void {
    const { last_message: _last, unread_count, ...conversation } = summary;
    this.applyConversation(conversation);
    const self = conversation.members.find((m) => m.user_id === this.selfId());
    this.unread.seed(conversation.id, unread_count, self?.last_read_seq ?? 0, conversation.last_seq);
  }

  applyConversation(conversation: Conversation): void {
    this.conversationsById.set(conversation.id, conversation);
    this.reads.seed(conversation);
  }

  applyMessage(message: Message): void {
    this.window(message.conversation_id).put(message);
    this.unread.message(message);
    this.typingTracker.stop(message.conversation_id, message.sender_id);
  }

  /** Older history loaded by the app (it does not change unread counts). */
  applyHistory(messages: Message[]): void {
    for (const message of messages) this.window(message.conversation_id).put(message);
  }

  applyUpdate(message: Message): void {
    this.windows.get(message.conversation_id)?.update(message);
    this.unread.updated(message);
  }

  applyRead(conversationId: string, userId: string, seq: number): void {
    this.reads.read(conversationId, userId, seq);
    if (userId === this.selfId()) this.unread.read(conversationId, seq);
  }

  applyTyping(conversationId: string, userId: string): void {
    this.typingTracker.typing(conversationId, userId);
  }

  applyMemberRemoved(conversationId: string, userId: string): void {
    if (userId === this.selfId()) {
      this.conversationsById.delete(conversationId);
      this.windows.delete(conversationId);
      this.unread.forget(conversationId);
      this.reads.forget(conversationId);
      return;
    }
    this.reads.removeMember(conversationId, userId);
    const conversation = this.conversationsById.get(conversationId);
    if (conversation) this.conversationsById.set(conversationId, { ...conversation, members: conversation.members.filter((m) => m.user_id !== userId) });
  }

  dispose(): void {
    this.typingTracker.clear();
  }

  private window(conversationId: string): MessageWindow {
    let window = this.windows.get(conversationId);
    if (!window) this.windows.set(conversationId, (window = new MessageWindow(this.options.windowSize)));
    return window;
  }
}
