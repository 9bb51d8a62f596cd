/**
 * The rows behind the in-memory Store fake, shaped like the SQL schema (src/store/schema.ts) so
 * the fake repositories can keep the same constraints: unique ids and username keys, foreign
 * keys to users and conversations, one membership per user and conversation, and the change
 * feed's counters (last_event_seq, pruned_event_seq, last_user_seq) with the event log.
 */
import type { Conversation, ConversationEventType, ConversationNotificationSettings, Member, MemberRole, Message, MyReactions, NotificationDefaults, PinRef } from '@pneumatic/protocol';
import type { NewSession } from '../../../src/domain/ports/repositories.js';
import { byCodePoint } from '../../../src/store/repositories/reaction-reads.js';
import { avatarUrlOf, toMessage, type MessageReactionState, type MessageRow } from '../../../src/store/rows.js';

// The fake maps rows to wire objects with the real store's mappers.
export { toMessage, toUser, type MessageRow } from '../../../src/store/rows.js';

/** A users row: the columns toUser reads (avatar_key, not its URL), the password hash and the counters. */
export interface UserRow {
  id: string;
  username: string;
  created_at: string;
  is_bot: boolean;
  display_name: string | null;
  status_text: string | null;
  /** The avatar's storage key (`avatars/<random>.webp`); the wire shows its URL. */
  avatar_key: string | null;
  /** Set while an admin has deactivated the account. */
  deactivated_at: string | null;
  password_hash: string;
  /** The user's position for user-scoped changes (own read positions, joins and leaves). */
  last_user_seq: number;
  /** A bot's owner; undefined for a person. */
  bot_owner_id?: string;
}

/** A session row: a login, or an API token with its name and scopes; `use` is its last recorded use. */
export type SessionRow = NewSession;

export interface ConversationRow {
  id: string;
  title: string;
  created_by: string;
  created_at: string;
  last_seq: number;
  last_activity_at: string;
  last_event_seq: number;
  /** Events up to here were removed by compaction. */
  pruned_event_seq: number;
}

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: MemberRole;
  joined_at: string;
  last_read_seq: number;
}

/** One row of conversation_events: what changed is a message, a member (user_id), or neither. */
export interface EventRow {
  conversation_id: string;
  event_seq: number;
  type: ConversationEventType;
  actor_id: string | null;
  message_id: string | null;
  user_id: string | null;
  /** reaction.* events: which emoji. */
  emoji: string | null;
  created_at: string;
}

/** One member's reaction to a message with one emoji; unique per (message_id, emoji, user_id). */
export interface ReactionRow {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: string;
}

/** A pinned message; unique per (conversation_id, message_id); event_seq orders the list. */
export interface PinRow {
  conversation_id: string;
  message_id: string;
  pinned_by: string;
  pinned_at: string;
  event_seq: number;
}

/** A foreign key or unique constraint the SQL schema would enforce: a bug in the caller, not a user error. */
export class ConstraintViolation extends Error {}

export class MemoryTables {
  readonly users = new Map<string, UserRow>();
  readonly sessions = new Map<string, SessionRow>();
  readonly conversations = new Map<string, ConversationRow>();
  readonly members: MemberRow[] = [];
  /** By message_id: the unique key that makes sends idempotent. */
  readonly messages = new Map<string, MessageRow>();
  /** In insertion order, which within a conversation is event_seq order. */
  events: EventRow[] = [];
  /** In insertion order. */
  reactions: ReactionRow[] = [];
  /** In insertion order. */
  pins: PinRow[] = [];
  /** notification_defaults: by user id, once a user changed theirs. */
  readonly notificationDefaults = new Map<string, NotificationDefaults>();
  /** conversation_notifications: by `notificationKey`, only overrides (a level or a mute). */
  readonly conversationNotifications = new Map<string, ConversationNotificationSettings & { user_id: string }>();

  user(id: string): UserRow {
    const user = this.users.get(id);
    if (!user) throw new ConstraintViolation(`foreign key: no user ${id}`);
    return user;
  }

  conversation(id: string): ConversationRow {
    const conversation = this.conversations.get(id);
    if (!conversation) throw new ConstraintViolation(`foreign key: no conversation ${id}`);
    return conversation;
  }

  /** The key of a user's notification override in a conversation. */
  notificationKey(conversationId: string, userId: string): string {
    return `${conversationId} ${userId}`;
  }

  member(conversationId: string, userId: string): MemberRow | undefined {
    return this.members.find((m) => m.conversation_id === conversationId && m.user_id === userId);
  }

  /** Members of a conversation in join order (joined_at, then user_id), as the SQL store lists them. */
  membersOf(conversationId: string): MemberRow[] {
    return this.members
      .filter((m) => m.conversation_id === conversationId)
      .sort((a, b) => a.joined_at.localeCompare(b.joined_at) || a.user_id.localeCompare(b.user_id));
  }

  toMember(row: MemberRow): Member {
    const user = this.user(row.user_id);
    const { username, is_bot, display_name } = user;
    return { user_id: row.user_id, username, is_bot, display_name, avatar_url: avatarUrlOf(user.avatar_key), role: row.role, joined_at: row.joined_at, last_read_seq: row.last_read_seq };
  }

  toConversation(row: ConversationRow): Conversation {
    const { id, title, created_at, created_by, last_seq, last_event_seq } = row;
    return { id, title, created_at, created_by, last_seq, last_event_seq, members: this.membersOf(id).map((m) => this.toMember(m)) };
  }

  /** A message's reactions, ordered as the SQL stores order them (first reaction, then emoji by code point); `viewer`'s own when named. */
  reactionState(messageId: string, viewer?: string): MessageReactionState {
    const rows = this.reactions.filter((r) => r.message_id === messageId);
    const groups = new Map<string, { emoji: string; count: number; first: string }>();
    for (const row of rows) {
      const group = groups.get(row.emoji) ?? { emoji: row.emoji, count: 0, first: row.created_at };
      group.count += 1;
      if (row.created_at < group.first) group.first = row.created_at;
      groups.set(row.emoji, group);
    }
    const byFirst = (a: { first: string; emoji: string }, b: { first: string; emoji: string }) => (a.first < b.first ? -1 : a.first > b.first ? 1 : byCodePoint(a.emoji, b.emoji));
    const reactions = [...groups.values()].sort(byFirst).map(({ emoji, count }) => ({ emoji, count }));
    if (viewer === undefined) return { reactions };
    const mine = rows.filter((r) => r.user_id === viewer).map((r) => ({ first: r.created_at, emoji: r.emoji })).sort(byFirst);
    return { reactions, my_reactions: mine.map((r) => r.emoji) };
  }

  /** The stored message as the wire Message, with its reactions. */
  message(row: MessageRow): Message {
    return toMessage(row, this.reactionState(row.message_id));
  }

  /** A page's `my_reactions`: the messages `viewer` reacted to, with their emoji in the order of reacting. */
  myReactions(rows: readonly MessageRow[], viewer: string): MyReactions {
    const mine: MyReactions = {};
    for (const row of rows) {
      const emoji = this.reactionState(row.message_id, viewer).my_reactions ?? [];
      if (emoji.length > 0) mine[row.message_id] = emoji;
    }
    return mine;
  }

  /** A conversation's pins, newest first (by their event_seq), as the SQL stores list them. */
  pinsOf(conversationId: string): PinRow[] {
    return this.pins.filter((p) => p.conversation_id === conversationId).sort((a, b) => b.event_seq - a.event_seq);
  }

  pinRefs(conversationId: string): PinRef[] {
    return this.pinsOf(conversationId).map(({ message_id, pinned_by, pinned_at }) => ({ message_id, pinned_by, pinned_at }));
  }

  /** Logs a change with the conversation's next event_seq, as the SQL stores do inside the change's transaction. */
  logEvent(conversationId: string, type: ConversationEventType, actorId: string | null, at: string, about: { message_id?: string; user_id?: string; emoji?: string } = {}): number {
    const conversation = this.conversation(conversationId);
    conversation.last_event_seq += 1;
    this.events.push({
      conversation_id: conversationId,
      event_seq: conversation.last_event_seq,
      type,
      actor_id: actorId,
      message_id: about.message_id ?? null,
      user_id: about.user_id ?? null,
      emoji: about.emoji ?? null,
      created_at: at,
    });
    return conversation.last_event_seq;
  }

  /** Moves the user's user_seq for a user-scoped change and returns the new value. */
  bumpUserSeq(userId: string): number {
    return (this.user(userId).last_user_seq += 1);
  }
}
