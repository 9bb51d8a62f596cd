/** Table types for Kysely. Timestamps come back as Date from PostgreSQL and as text from SQLite. */
import type { AuditLogTable, BlocksTable, MessageRemovalsTable, ReportsTable } from './admin/admin-tables.js';
import type { ColumnType, Generated } from 'kysely';
import type { PushTables } from './push/push-tables.js';
import type { RetentionTables } from './retention/retention-tables.js';
import type { SsoTables } from './sso/sso-tables.js';
import type { WebhookTables } from './webhooks/webhook-tables.js';

export type Timestamp = ColumnType<Date | string, string, string>;
export type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;

export interface UsersTable {
  id: string;
  username: string;
  /** Lower-cased username: the unique key, so names are unique ignoring case. */
  username_key: string;
  password_hash: string;
  created_at: Timestamp;
  /** The user's position for user-scoped changes (own read positions, joins and leaves). */
  last_user_seq: Generated<number>;
  /** When the user was last online (migration 0014): written as they leave, and about once a minute while online. */
  last_seen_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
  /** 1 for a bot account, 0 for a person (migration 0017). */
  is_bot: Generated<number>;
  /** A bot's owner; null for a person. */
  bot_owner_id: string | null;
  /** The profile (migration 0020): null when not set. */
  display_name: ColumnType<string | null, string | null | undefined, string | null>;
  status_text: ColumnType<string | null, string | null | undefined, string | null>;
  /** The avatar's storage key (`avatars/<random>.webp`), null for none. */
  avatar_key: ColumnType<string | null, string | null | undefined, string | null>;
  /** 'admin' or 'member' (migration 0023). */
  server_role: Generated<string>;
  /** Set while an admin has deactivated the account; null otherwise. */
  deactivated_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  /** 'login' or 'token' (migrations/0016-api-tokens.ts). */
  kind: Generated<string>;
  /** An API token's name; null for a login. */
  name: string | null;
  /** An API token's scopes, space-separated; null for a login (every scope). */
  scopes: string | null;
  /** The last use's User-Agent and approximate network (migration 0020); null before the first. */
  user_agent: ColumnType<string | null, string | null | undefined, string | null>;
  ip: ColumnType<string | null, string | null | undefined, string | null>;
  last_used_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
}

/** Invite links (migration 0021). */
export interface InvitesTable {
  id: string;
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  max_uses: number;
  uses: Generated<number>;
}

/** A user's folded directory terms (migration 0020; domain/profiles/search-terms.ts). */
export interface UserSearchTermsTable {
  term: string;
  /** The user's username_key: the order within a term, and the cursor's second half. */
  username_key: string;
  user_id: string;
}

export interface IncomingWebhooksTable {
  id: string;
  conversation_id: string;
  bot_user_id: string;
  /** SHA-256 of the URL's secret (migrations/0018-incoming-webhooks.ts). */
  token_hash: string;
  created_by: string;
  created_at: Timestamp;
}

export interface ConversationsTable {
  id: string;
  title: string;
  created_by: string;
  created_at: Timestamp;
  /** Highest seq assigned; incremented in the same transaction as each insert. */
  last_seq: Generated<number>;
  last_activity_at: Timestamp;
  /** Highest event_seq assigned; incremented in the same transaction as each change. */
  last_event_seq: Generated<number>;
  /** Events up to this position are no longer kept (compaction): an older position gets a snapshot. */
  pruned_event_seq: Generated<number>;
  /** The conversation's own retention period in days (migration 0026); null: the server's. */
  retention_days: ColumnType<number | null, number | null | undefined, number | null>;
  /** Every message at or below this seq was deleted by retention (migration 0026). */
  expired_through_seq: Generated<number>;
}

export interface MembersTable {
  conversation_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'member';
  joined_at: Timestamp;
  last_read_seq: Generated<number>;
  /**
   * The minute of the conversation's last_activity_at, kept in step by triggers (migration
   * 0003): with members (user_id, activity_minute desc) it serves the conversation list's order.
   */
  activity_minute: ColumnType<Date | string | null, string | null | undefined, string | null>;
  /** 1 when the user has a push subscription, kept by triggers (migration 0015). */
  push_subscribed: Generated<number>;
}

export interface MessagesTable {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  seq: number;
  created_at: Timestamp;
  edited_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
  /** The event_seq of the message's last change. */
  version: Generated<number>;
  /**
   * How many reactions the message has (migration 0005), kept in the reaction's transaction, so
   * a history page reads the reactions only of messages that have some.
   */
  reaction_count: Generated<number>;
  /** Replies and threads (migration 0008): the message quoted, the thread posted in, and on a root its thread's summary. */
  reply_to_id: ColumnType<string | null, string | null | undefined, string | null>;
  thread_root_id: ColumnType<string | null, string | null | undefined, string | null>;
  thread_reply_count: Generated<number>;
  thread_last_reply_at: ColumnType<Date | string | null, string | null | undefined, string | null>;
  thread_last_reply_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The mentioned members' ids as a JSON array text, as Message.mentions (migration 0007). */
  mentions: Generated<string>;
  /** 1 when the message mentions everyone (`@all`), else 0. */
  mentions_all: Generated<number>;
  /** The attachments as the JSON array text of Message.attachments, URLs unsigned (migration 0012). */
  attachments: Generated<string>;
}

export interface ConversationEventsTable {
  conversation_id: string;
  event_seq: number;
  type: string;
  actor_id: string | null;
  message_id: string | null;
  user_id: string | null;
  /** The emoji of reaction.* events; null for the others. */
  emoji: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Timestamp;
}

/** One member's reaction to a message with one emoji (migration 0005). */
export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: Timestamp;
}

/** A pinned message of a conversation (migration 0006). */
export interface PinsTable {
  conversation_id: string;
  message_id: string;
  pinned_by: string;
  pinned_at: Timestamp;
  /** The pin's event_seq: the list's order, newest first. */
  event_seq: number;
}

/** A user's following of and read position in one thread (migration 0008). */
export interface ThreadReadsTable {
  user_id: string;
  /** The thread's root. */
  message_id: string;
  conversation_id: string;
  /** 1 while the user follows the thread (posting in it or authoring its root follows it), 0 after an unfollow. */
  following: Generated<number>;
  /** The seq of the last reply the user read. */
  last_read_seq: Generated<number>;
}

/**
 * One mention of a member in a message, or of everyone (`user_id` null), kept while the message
 * is not deleted (migration 0007): what `unread_mentions` counts, above a read position.
 */
export interface MentionMarksTable {
  conversation_id: string;
  seq: number;
  user_id: string | null;
  sender_id: string;
}

/** Uploaded files (migration 0012); see its header for the states. */
export interface UploadsTable {
  id: string;
  owner_id: string;
  filename: string;
  content_type: string;
  /** bigint: PostgreSQL returns it as text. */
  size: ColumnType<number | string, number | undefined, number>;
  sha256: string | null;
  width: number | null;
  height: number | null;
  thumbnail_width: number | null;
  thumbnail_height: number | null;
  thumbnail_size: number | null;
  /** 1 when the served bytes are a copy stripped of metadata, stored under `cleaned/<id>`. */
  cleaned: Generated<number>;
  status: 'pending' | 'ready' | 'deleting';
  attached: Generated<number>;
  created_at: Timestamp;
}

export interface MessageAttachmentsTable {
  message_id: string;
  upload_id: string;
  position: number;
}

export interface ServerSecretsTable {
  name: string;
  value: string;
}

/** A user's notification defaults, once changed (migration 0013); booleans are 0/1. */
export interface NotificationDefaultsTable {
  user_id: string;
  level: 'all' | 'mentions' | 'none';
  mention_breaks_mute: number;
  previews: number;
}

/** A user's notification override in one conversation (migration 0013): null level follows the default. */
export interface ConversationNotificationsTable {
  conversation_id: string;
  user_id: string;
  level: 'all' | 'mentions' | 'none' | null;
  muted_until: NullableTimestamp;
}

export interface Database extends PushTables, WebhookTables, SsoTables, RetentionTables {
  users: UsersTable;
  audit_log: AuditLogTable;
  blocks: BlocksTable;
  reports: ReportsTable;
  message_removals: MessageRemovalsTable;
  sessions: SessionsTable;
  user_search_terms: UserSearchTermsTable;
  invites: InvitesTable;
  incoming_webhooks: IncomingWebhooksTable;
  conversations: ConversationsTable;
  members: MembersTable;
  messages: MessagesTable;
  conversation_events: ConversationEventsTable;
  reactions: ReactionsTable;
  pins: PinsTable;
  thread_reads: ThreadReadsTable;
  mention_marks: MentionMarksTable;
  uploads: UploadsTable;
  message_attachments: MessageAttachmentsTable;
  server_secrets: ServerSecretsTable;
  notification_defaults: NotificationDefaultsTable;
  conversation_notifications: ConversationNotificationsTable;
}
