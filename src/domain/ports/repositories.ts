/**
 * What the domain needs from storage. `store/` implements these for SQLite and PostgreSQL;
 * the domain never sees SQL, so both databases obey the same rules.
 */
import type { PinRepository } from './pin-repository.js';
import type { SearchProvider } from './search-provider.js';
import type { ReactionRepository } from './reaction-repository.js';
import type { ThreadRepository } from './thread-repository.js';
import type { Conversation, ConversationSummary, Member, MemberRole, Message, MyReactions } from '@pneumatic/protocol';

import type { UploadRepository } from './upload-repository.js';
import type { PresenceRepository } from './presence.js';
import type { NotificationSettingsRepository } from './notification-settings-repository.js';
export type { NotificationSettingsChange, NotificationSettingsRepository } from './notification-settings-repository.js';
import type { PushQueueRepository, PushSubscriptionRepository } from './push-repository.js';
import type { ChangeFeedRepository } from './change-feed-repository.js';
import type { IncomingWebhookRepository } from './incoming-webhook-repository.js';
import type { WebhookQueue, WebhookRepository } from './webhook-repository.js';
export type { ChangeFeedRepository, EventsAfter, FeedPosition } from './change-feed-repository.js';
export type { FollowedThread, NewReply, ReplyOutcome, ReplyRefusal, ThreadRepository } from './thread-repository.js';
export type { PinInput, PinOutcome, PinRepository } from './pin-repository.js';
export type { ReactionInput, ReactionOutcome, ReactionRepository } from './reaction-repository.js';
import type { SessionRepository, UserRepository } from './account-repositories.js';
import type { ProfileRepository } from './profile-repository.js';
import type { InviteRepository } from './invite-repository.js';
import type { SsoRepository } from './sso-repository.js';
import type { AdminRepository, AuditLogRepository } from './admin-repository.js';
import type { BlockRepository } from './block-repository.js';
import type { ReportRepository } from './report-repository.js';
import type { JobLeaseRepository, RetentionRepository } from './retention-repository.js';
import type { MessageRemovalRepository } from './message-removal-repository.js';
import type { SentMessagesRepository } from './sent-messages-repository.js';
export type { LinkedIdentityRecord, ProviderIdentity, SsoFlow, SsoRepository } from './sso-repository.js';
export type { InviteRefusal, InviteRepository, NewInvite } from './invite-repository.js';
export type { DirectoryPage, DirectoryPosition, DirectorySearch, ProfileChanges, ProfileRepository, ProfileUpdate } from './profile-repository.js';
export type { ApiTokenRecord, BotRecord, LoginRecord, SessionUse, NewSession, NewUser, SessionRecord, SessionRepository, UserRepository, UserWithSecret } from './account-repositories.js';

export interface Membership {
  role: MemberRole;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  next_cursor: string | null;
}

/**
 * Every change to a conversation is logged with the conversation's next event_seq in the same
 * transaction (docs/architecture.md, "The change feed"); the methods that change something
 * return the positions they were given. Changes to what belongs to a user (their read
 * positions, conversations joined or left) also move that user's `user_seq`.
 */
export interface ConversationRepository {
  /**
   * Creates the conversation with its members (the creator as owner) in one transaction, logged
   * as `conversation.created` (event_seq 1); every member's user_seq moves.
   */
  create(input: { id: string; title: string; created_by: string; created_at: string; member_ids: readonly string[] }): Promise<CreatedConversation>;
  findById(id: string): Promise<Conversation | null>;
  exists(id: string): Promise<boolean>;
  lastSeq(id: string): Promise<number | null>;
  /**
   * The user's membership. `fresh` reads past any cache: what a permission that a role grants
   * is decided on, since another process may have just changed the role.
   */
  membership(conversationId: string, userId: string, fresh?: boolean): Promise<Membership | null>;
  /**
   * The member ids. With `caller`, a list that leaves the caller out is read fresh before it is
   * answered: a cache (src/store/cache) may then be behind a join made by another process.
   */
  memberIds(conversationId: string, caller?: string): Promise<string[]>;
  /** Adds a member (`member.added`, the user's user_seq moves); `added: false` changes nothing. */
  addMember(conversationId: string, userId: string, joinedAt: string, actorId: string): Promise<MemberAddition>;
  /**
   * Removes a member (`member.removed`, the user's user_seq moves), and their notification
   * override in the conversation with them; null when they were not one.
   * When the last owner leaves, the longest-standing remaining member becomes owner so the
   * conversation stays manageable (`member.updated`, the next event_seq).
   */
  removeMember(conversationId: string, userId: string, actorId: string, at: string): Promise<MemberRemoval | null>;
  /**
   * Sets a member's role (`member.updated`). Null when the user is not a member (or the
   * conversation is gone); `last_owner` when it would demote the conversation's only owner.
   */
  setRole(conversationId: string, userId: string, role: MemberRole, actorId: string, at: string): Promise<MemberRoleChange>;
  /**
   * Sets the title (`conversation.updated`); null when the conversation is gone. `event_seq` is
   * null when the title was already this (nothing changed, nothing logged).
   */
  rename(conversationId: string, title: string, actorId: string, at: string): Promise<{ conversation: Conversation; event_seq: number | null } | null>;
  /** Where each conversation of the user stands: its latest event_seq. */
  lastEventSeqsForUser(userId: string): Promise<{ conversation_id: string; last_event_seq: number }[]>;
  /** The caller's conversations, most recent activity first. `cursor` is a previous page's next_cursor. */
  listForUser(userId: string, limit: number, cursor: string | undefined): Promise<ConversationPage>;
  /**
   * Moves last_read_seq forward to min(seq, last_seq), never backwards, atomically, and the
   * reader's user_seq with it. Returns the new values when it moved, null when it did not.
   */
  advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<{ seq: number; user_seq: number } | null>;
}

export interface CreatedConversation {
  conversation: Conversation;
  /** Each member's new user_seq. */
  user_seqs: Record<string, number>;
}

export type MemberAddition =
  | { added: true; member: Member; conversation: Conversation; event_seq: number; user_seq: number }
  | { added: false; member: Member };

export type MemberRoleChange =
  | { outcome: 'changed'; before: MemberRole; member: Member; event_seq: number }
  | { outcome: 'unchanged'; member: Member }
  | { outcome: 'last_owner' }
  | null;

export interface MemberRemoval {
  event_seq: number;
  /** The removed user's new user_seq. */
  user_seq: number;
  /** The member who became owner because the last owner left, with that change's event_seq. */
  promoted: { member: Member; event_seq: number; before: MemberRole } | null;
}

/**
 * Whom a message mentions (docs/API.md, "Mentions"): stored with it, and as marks that count
 * towards each mentioned member's `unread_mentions`, in the same transaction.
 */
export interface MessageMentions {
  /** Member ids, first mention first, no repeats. */
  mentions: readonly string[];
  /** `@all`: one mark that every member but the sender counts. */
  mentions_all: boolean;
}

export const NO_MENTIONS: MessageMentions = Object.freeze({ mentions: Object.freeze([]) as readonly string[], mentions_all: false });

/**
 * A send as the store receives it; seq and created_at are assigned by the store when it commits.
 * Without `mentions`, it mentions nobody.
 */
export interface NewMessage {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  mentions?: MessageMentions;
}

/** `created`: stored now with the next seq. `existing`: this message_id was already stored. */
export type AppendResult = { kind: 'created'; message: Message } | { kind: 'existing'; message: Message };

export interface HistoryPage {
  messages: Message[];
  has_more: boolean;
  /** Only for an `around` page: whether older (newer) messages than the page exist; `has_more` is then either. */
  has_more_before?: boolean;
  has_more_after?: boolean;
  /** With a viewer: the page's messages the viewer reacted to, each with the viewer's emoji. */
  my_reactions?: MyReactions;
}

/**
 * A history page whose messages are already JSON text: `messages_json` is a JSON array of
 * Message, ascending by seq, equal (once parsed) to `HistoryPage.messages`. The database writes
 * it, so a read builds and serializes no object per message (most of a history read's cost).
 */
export interface HistoryPageJson {
  messages_json: string;
  has_more: boolean;
  /** As `HistoryPage.has_more_before` / `has_more_after`: only for an `around` page. */
  has_more_before?: boolean;
  has_more_after?: boolean;
  /** As `HistoryPage.my_reactions`. */
  my_reactions?: MyReactions;
}

/**
 * Which history page: the latest `limit`, or `before`/`after` a seq, or the page `around` a seq
 * (the message with that seq and about half the page on each side; at most one of the three).
 */
export interface HistoryQuery {
  limit: number;
  before?: number;
  after?: number;
  around?: number;
  /**
   * Whose page it is: the page then carries `my_reactions`, the emoji this user reacted with on
   * its messages (read with their counts, only for messages that have reactions).
   */
  viewer?: string;
}

/**
 * The send path's storage port: each dialect has one implementation, built for its hot path
 * (SQLite: `SqliteWriterThread`, group commit on a thread of its own; PostgreSQL:
 * `PostgresGroupCommit`, group commit in one statement per batch). `MessageRepository.append` delegates to it.
 */
export interface MessageAppender {
  /**
   * Stores the message with the conversation's next seq in one transaction, stamping created_at
   * inside it (so created_at never decreases as seq grows), or returns the message already
   * stored under its message_id (the unique key makes concurrent duplicates safe). Resolves only
   * once the transaction is committed durably.
   */
  append(message: NewMessage): Promise<AppendResult>;
}

/** Which message a change is about, and the conversation whose event it becomes. */
export interface MessageRef {
  message_id: string;
  conversation_id: string;
}

/**
 * Every Message it returns carries its `reactions`, the same for every reader; a history page
 * whose query names a viewer carries that viewer's own as the page's `my_reactions`.
 */
export interface MessageRepository extends MessageAppender {
  findById(messageId: string): Promise<Message | null>;
  history(conversationId: string, query: HistoryQuery): Promise<HistoryPage>;
  /** The same page as `history`, as JSON text (what GET /conversations/{id}/messages sends). */
  historyJson(conversationId: string, query: HistoryQuery): Promise<HistoryPageJson>;
  /**
   * Sets the content and its mentions (`message.edited`; none when omitted), replacing the
   * message's mention marks; null when the message is deleted (or gone).
   */
  edit(message: MessageRef, content: string, editedAt: string, actorId: string, mentions?: MessageMentions): Promise<Message | null>;
  /**
   * Blanks the content, marks it deleted and removes its reactions, its pin, its mention marks and its attachments,
   * in one transaction (`message.deleted`; no `message.unpinned` is logged); null when it was already deleted.
   */
  markDeleted(message: MessageRef, deletedAt: string, actorId: string): Promise<Message | null>;
  /**
   * `markDeleted` for many, in one transaction: the messages deleted now, each its conversation's
   * next event (those already deleted or gone are left out).
   */
  markDeletedMany(messages: readonly MessageRef[], deletedAt: string, actorId: string): Promise<Message[]>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly users: UserRepository;
  /** Profiles and the directory (docs/API.md, "Profiles", "Finding people"). */
  readonly profiles: ProfileRepository;
  /** Invite links (docs/API.md, "Registration and invites"). */
  readonly invites: InviteRepository;
  /** Single sign-on: identities, started log-ins, login codes (docs/API.md, "Single sign-on"). */
  readonly sso: SsoRepository;
  readonly sessions: SessionRepository;
  /** Server roles and deactivation, and the append-only audit log (docs/API.md, "Administration"). */
  readonly admin: AdminRepository;
  readonly auditLog: AuditLogRepository;
  /** Who blocked whom (docs/API.md, "Blocking"). */
  readonly blocks: BlockRepository;
  /** Reports of messages to the admins (docs/API.md, "Reports"). */
  readonly reports: ReportRepository;
  /** Removals of a user's messages in a window, run as background jobs (docs/API.md, "Administration"). */
  readonly messageRemovals: MessageRemovalRepository;
  /** Retention periods and the deletion of what they let go (docs/API.md, "Retention"). */
  readonly retention: RetentionRepository;
  /** One holder at a time per background job, across processes. */
  readonly jobLeases: JobLeaseRepository;
  /** A user's own messages, for their data export. */
  readonly sentMessages: SentMessagesRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly changeFeed: ChangeFeedRepository;
  readonly reactions: ReactionRepository;
  readonly pins: PinRepository;
  readonly threads: ThreadRepository;
  readonly search: SearchProvider;
  readonly uploads: UploadRepository;
  readonly presence: PresenceRepository;
  readonly notificationSettings: NotificationSettingsRepository;
  /** Web Push: the users' browser subscriptions, and the queue pushes go through. */
  readonly pushSubscriptions: PushSubscriptionRepository;
  readonly pushQueue: PushQueueRepository;
  readonly incomingWebhooks: IncomingWebhookRepository;
  /** Outgoing webhooks: the owners' side, and the queue their deliveries go through (a cursor into the change feed). */
  readonly webhooks: WebhookRepository;
  readonly webhookQueue: WebhookQueue;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Why writes are failing (`disk_full`, `read_only`, ...), or null when they are not: for
   * /readyz, since a database that answers reads may still refuse every write.
   */
  writeFailure(): Promise<string | null>;
  close(): Promise<void>;
}
