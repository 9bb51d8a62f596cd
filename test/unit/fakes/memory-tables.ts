/**
 * The rows behind the in-memory Store fake, shaped like the SQL schema (src/store/schema.ts) so
 * the fake repositories can keep the same constraints: unique ids and username keys, foreign
 * keys to users and conversations, one membership per user and conversation.
 */
import type { Member, MemberRole } from '@pneumatic/protocol';
import type { UserWithSecret } from '../../../src/domain/ports/repositories.js';
import type { MessageRow } from '../../../src/store/rows.js';

// The fake maps rows to wire objects with the real store's mappers.
export { toMessage, toUser, type MessageRow } from '../../../src/store/rows.js';

export interface SessionRow {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
}

export interface ConversationRow {
  id: string;
  title: string;
  created_by: string;
  created_at: string;
  last_seq: number;
  last_activity_at: string;
}

export interface MemberRow {
  conversation_id: string;
  user_id: string;
  role: MemberRole;
  joined_at: string;
  last_read_seq: number;
}

/** A foreign key or unique constraint the SQL schema would enforce: a bug in the caller, not a user error. */
export class ConstraintViolation extends Error {}

export class MemoryTables {
  readonly users = new Map<string, UserWithSecret>();
  readonly sessions = new Map<string, SessionRow>();
  readonly conversations = new Map<string, ConversationRow>();
  readonly members: MemberRow[] = [];
  /** By message_id: the unique key that makes sends idempotent. */
  readonly messages = new Map<string, MessageRow>();

  user(id: string): UserWithSecret {
    const user = this.users.get(id);
    if (!user) throw new ConstraintViolation(`foreign key: no user ${id}`);
    return user;
  }

  conversation(id: string): ConversationRow {
    const conversation = this.conversations.get(id);
    if (!conversation) throw new ConstraintViolation(`foreign key: no conversation ${id}`);
    return conversation;
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
    return { user_id: row.user_id, username: this.user(row.user_id).username, role: row.role, joined_at: row.joined_at, last_read_seq: row.last_read_seq };
  }
}

