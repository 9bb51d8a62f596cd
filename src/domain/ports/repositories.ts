/**
 * What the domain needs from storage. `store/` implements these for SQLite and PostgreSQL;
 * the domain never sees SQL, so both databases obey the same rules.
 */
import type { Conversation, ConversationSummary, Member, MemberRole, Message, User } from '@pneumatic/protocol';

export interface UserWithSecret extends User {
  password_hash: string;
}

export interface UserRepository {
  /** Inserts the user; returns null when the username is taken (ignoring case). */
  create(user: UserWithSecret): Promise<User | null>;
  findById(id: string): Promise<User | null>;
  /** Case-insensitive exact match. */
  findByUsername(username: string): Promise<UserWithSecret | null>;
  /** The subset of `ids` that name existing users. */
  existingIds(ids: readonly string[]): Promise<string[]>;
}

export interface SessionRecord {
  id: string;
  user: User;
  expires_at: string;
}

export interface SessionRepository {
  create(session: { id: string; token_hash: string; user_id: string; created_at: string; expires_at: string }): Promise<void>;
  /** The live session for this token hash, or null when unknown, revoked or expired at `now`. */
  findActive(tokenHash: string, now: string): Promise<SessionRecord | null>;
  revoke(sessionId: string): Promise<void>;
  /** Revokes every session of the user and returns their ids. */
  revokeAllForUser(userId: string): Promise<string[]>;
}

export interface Membership {
  role: MemberRole;
}

export interface ConversationPage {
  conversations: ConversationSummary[];
  next_cursor: string | null;
}

export interface ConversationRepository {
  /** Creates the conversation with its members (the creator as owner) in one transaction. */
  create(input: { id: string; title: string; created_by: string; created_at: string; member_ids: readonly string[] }): Promise<Conversation>;
  findById(id: string): Promise<Conversation | null>;
  exists(id: string): Promise<boolean>;
  lastSeq(id: string): Promise<number | null>;
  membership(conversationId: string, userId: string): Promise<Membership | null>;
  memberIds(conversationId: string): Promise<string[]>;
  /** Adds a member; returns the member and whether it was new. */
  addMember(conversationId: string, userId: string, joinedAt: string): Promise<{ member: Member; added: boolean }>;
  /**
   * Removes a member; returns false when they were not one. When the last owner leaves,
   * the longest-standing remaining member becomes owner so the conversation stays manageable.
   */
  removeMember(conversationId: string, userId: string): Promise<boolean>;
  /** The last seq of every conversation the user is a member of. */
  lastSeqsForUser(userId: string): Promise<{ conversation_id: string; last_seq: number }[]>;
  /** The caller's conversations, most recent activity first. `cursor` is a previous page's next_cursor. */
  listForUser(userId: string, limit: number, cursor: string | undefined): Promise<ConversationPage>;
  /**
   * Moves last_read_seq forward to min(seq, last_seq), never backwards, atomically.
   * Returns the new value when it moved, null when it did not.
   */
  advanceReadSeq(conversationId: string, userId: string, seq: number): Promise<number | null>;
}

/** A send as the store receives it; seq and created_at are assigned by the store when it commits. */
export interface NewMessage {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
}

/** `created`: stored now with the next seq. `existing`: this message_id was already stored. */
export type AppendResult = { kind: 'created'; message: Message } | { kind: 'existing'; message: Message };

export interface HistoryPage {
  messages: Message[];
  has_more: boolean;
}

/**
 * The send path's storage port: each dialect has one implementation, built for its hot path
 * (SQLite: `SqliteWriterThread`, group commit on a thread of its own; PostgreSQL:
 * `PostgresAppend`, one statement). `MessageRepository.append` delegates to it.
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

export interface MessageRepository extends MessageAppender {
  findById(messageId: string): Promise<Message | null>;
  history(conversationId: string, query: { limit: number; before?: number; after?: number }): Promise<HistoryPage>;
  edit(messageId: string, content: string, editedAt: string): Promise<Message | null>;
  /** Blanks the content and marks it deleted; null when it was already deleted. */
  markDeleted(messageId: string, deletedAt: string): Promise<Message | null>;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly users: UserRepository;
  readonly sessions: SessionRepository;
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /**
   * Why writes are failing (`disk_full`, `read_only`, ...), or null when they are not: for
   * /readyz, since a database that answers reads may still refuse every write.
   */
  writeFailure(): Promise<string | null>;
  close(): Promise<void>;
}
