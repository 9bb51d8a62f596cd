/**
 * The read side of ChatState (chat-state.ts): what a UI asks of the local state, and the parts
 * it is kept in. ChatState adds the updates the session applies.
 */
import { Emitter } from '../emitter.js';
import type { Conversation, Message, PinRef } from '../types.js';
import type { ChatStateOptions } from './chat-state.js';
import { LastMessages } from './last-messages.js';
import { MentionCounter } from './mention-counter.js';
import { NotificationSettingsState } from './notification-settings.js';
import type { MessageWindow } from './message-window.js';
import type { MessageReaction } from './own-reactions.js';
import { PinnedMessages } from './pinned-messages.js';
import { PresenceBook, type PresenceEntry } from './presence-book.js';
import { ReactionState } from './reaction-state.js';
import { ReadPositions } from './read-positions.js';
import { ThreadState } from './thread-state.js';
import type { ChatStateChanges } from './state-changes.js';
import { TypingTracker } from './typing-tracker.js';
import { UnreadCounter } from './unread-counter.js';
import { UserCache } from './user-cache.js';

export class ChatStateView {
  /** Fires after each update, once per entity and conversation it touched. */
  readonly changes = new Emitter<ChatStateChanges>();
  protected readonly windows = new Map<string, MessageWindow>();
  protected readonly conversationsById = new Map<string, Conversation>();
  protected readonly unread: UnreadCounter;
  protected readonly mentions: MentionCounter;
  protected readonly reads = new ReadPositions();
  protected readonly typingTracker: TypingTracker;
  protected readonly lastMessages = new LastMessages();
  /** Pins by conversation: message.pinned / unpinned events apply to it directly (apply-event.ts). */
  readonly pinned = new PinnedMessages((id) => this.changes.emit('pins', id));
  /** Reaction counts and your own reactions: reaction events and your own answered reactions apply to it directly. */
  readonly reactionState: ReactionState;
  /** Thread pages loaded and your read positions in threads (the replies themselves are messages of the windows too). */
  readonly threads: ThreadState;
  /** Other users' presence: `presence` frames and `GET /presence` apply to it directly (session/session-presence.ts). */
  readonly presenceBook = new PresenceBook((userId) => this.changes.emit('presence', userId));
  /** Your notification settings: defaults and each conversation's own, from syncs and `notification_settings` frames. */
  readonly notificationSettings = new NotificationSettingsState((id) => this.changes.emit('notifications', id));
  /**
   * Users' names and avatars: every member seen (kept after they leave, so their messages keep a
   * name), your own profile, and the users `client.searchUsers` / `getUsers` answered.
   */
  readonly users = new UserCache((userId) => this.changes.emit('users', userId));
  /** Set while a conversation is first seen or reset: its read positions are not news. */
  protected seeding = false;


  constructor(
    protected readonly selfId: () => string | null,
    protected readonly options: ChatStateOptions,
    onTypingStop: (conversationId: string, userId: string) => void,
  ) {
    this.unread = new UnreadCounter(selfId);
    this.mentions = new MentionCounter(selfId);
    this.threads = new ThreadState(this.windows, selfId, (id) => this.changes.emit('threads', id));
    this.reactionState = new ReactionState({ windows: this.windows, lastMessages: this.lastMessages, changes: this.changes, selfId });
    this.typingTracker = new TypingTracker(options.typingExpiryMs, (conversationId, userId) => {
      this.changes.emit('typing', conversationId);
      onTypingStop(conversationId, userId);
    });
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

  /** The latest message known (from the conversation list, live events or history), or null. */
  lastMessage(conversationId: string): Message | null {
    return this.lastMessages.get(conversationId);
  }

  /** A held message's reactions (`count`, and `mine` when you reacted so); [] for a message not held. */
  reactions(conversationId: string, messageId: string): MessageReaction[] {
    return this.reactionState.of(conversationId, messageId);
  }

  /** The username of anyone seen as a member of a conversation, current or former (more in `users`). */
  username(userId: string): string | undefined {
    return this.users.get(userId)?.username;
  }

  /**
   * The replies in a message's thread known locally (the window's, and the pages loaded with
   * `session.threads.load`), ascending by seq; deleted ones included, as the server lists them.
   */
  threadReplies(conversationId: string, rootId: string): Message[] {
    return this.threads.replies(conversationId, rootId);
  }

  /** A thread's root as last seen (held in the window or loaded with its thread). */
  threadRoot(conversationId: string, rootId: string): Message | undefined {
    return this.threads.root(conversationId, rootId);
  }

  /** Your read position in a thread (the seq of the last reply read; 0 when unknown). */
  threadReadSeq(rootId: string): number {
    return this.threads.readSeq(rootId);
  }

  /** The conversation's pins, newest first: ids only (`RestApi.listPins` gives the messages). */
  pins(conversationId: string): readonly PinRef[] {
    return this.pinned.list(conversationId);
  }

  unreadCount(conversationId: string): number {
    return this.unread.count(conversationId);
  }

  /** Of your unread messages, those that mention you by name or with `@all` (API.md, "Mentions"). */
  unreadMentions(conversationId: string): number {
    return this.mentions.count(conversationId);
  }

  /** Users (other than you) typing in the conversation right now. */
  typingUsers(conversationId: string): string[] {
    return this.typingTracker.users(conversationId);
  }

  /**
   * A user's presence, `{status, last_seen_at}`, as last told; undefined for users the server
   * never told you about (only users sharing a conversation with you are told).
   */
  presence(userId: string): PresenceEntry | undefined {
    return this.presenceBook.get(userId);
  }

  /** Everyone you share a conversation with, as the conversations known list them (you left out). */
  knownUsers(): string[] {
    const ids = new Set<string>();
    for (const conversation of this.conversationsById.values()) for (const member of conversation.members) ids.add(member.user_id);
    ids.delete(this.selfId() ?? '');
    return [...ids];
  }

  /** Other members' last_read_seq, by user id. */
  readPositions(conversationId: string): Map<string, number> {
    return this.reads.positions(conversationId, this.selfId());
  }

  /** One member's last_read_seq (yours too), if known. */
  readPosition(conversationId: string, userId: string): number | undefined {
    return this.reads.get(conversationId, userId);
  }

  /** Your own read position. */
  lastReadSeq(conversationId: string): number {
    return this.unread.lastReadSeq(conversationId);
  }
}
