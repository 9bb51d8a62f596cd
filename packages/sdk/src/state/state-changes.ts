/**
 * What changed in {@link ChatState}, by entity, each with the conversation id concerned (for
 * `presence`, the user's id): a UI
 * subscribes to the one entity a component shows, so that (say) a typing indicator coming and
 * going never re-renders a message list.
 */
export interface ChatStateChanges {
  /** A conversation appeared, went away, or changed: title, members, or its last message. */
  conversation: string;
  /** The conversation's message window: a message added (live, caught up, history, your own ack), edited, deleted, or its reaction counts changed. */
  messages: string;
  /** Your unread count (or unread mentions) in the conversation. */
  unread: string;
  /** Who is typing in the conversation. */
  typing: string;
  /** The members' read positions in the conversation (yours included). */
  reads: string;
  /** The conversation's pinned messages. */
  pins: string;
  /** Your own reactions to the conversation's messages (their counts are in the messages: `messages`). */
  reactions: string;
  /** A thread of the conversation: a reply, its root's summary, a page loaded, or your read position in it. */
  threads: string;
  /** A user's presence (`state.presence(userId)`): the key is the user id, not a conversation's. */
  presence: string;
  /** A user's profile as cached (`state.users.get(userId)`: name, avatar, your own status): the key is the user id. */
  users: string;
  /**
   * Your notification settings of the conversation; null when your defaults changed (every
   * conversation without settings of its own follows them). See `state.notificationSettings`.
   */
  notifications: string | null;
}
