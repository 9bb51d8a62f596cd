/** Conversations and their members as the API shows them, from their rows. */
import type { Kysely } from 'kysely';
import type { Conversation, Member } from '@pneumatic/protocol';
import { avatarUrlOf, toIso } from '../rows.js';
import type { Database } from '../schema.js';

export type ConversationRow = {
  id: string;
  title: string;
  created_by: string;
  created_at: Date | string;
  last_seq: number;
  last_activity_at: Date | string;
  last_event_seq: number;
  /** Retention (migration 0026); absent from rows of queries that do not read it. */
  retention_days?: number | null;
  expired_through_seq?: number | string;
};

/** A member's row joined with their user's, as the API shows it. */
export interface MemberRow {
  user_id: string;
  username: string;
  /** 0/1 in both databases; null only from an outer join, where there is no user. */
  is_bot: number | string | boolean | null;
  display_name: string | null;
  avatar_key: string | null;
  role: Member['role'];
  joined_at: Date | string;
  last_read_seq: number | string | null;
}

export function toMember(row: MemberRow): Member {
  return {
    user_id: row.user_id,
    username: row.username,
    is_bot: row.is_bot === true || Number(row.is_bot) === 1,
    display_name: row.display_name,
    avatar_url: avatarUrlOf(row.avatar_key),
    role: row.role,
    joined_at: toIso(row.joined_at),
    last_read_seq: Number(row.last_read_seq ?? 0),
  };
}

/** Members of each conversation in join order, optionally only one user. */
export async function membersOf(db: Kysely<Database>, conversationIds: readonly string[], onlyUserId?: string): Promise<Map<string, Member[]>> {
  const result = new Map<string, Member[]>();
  if (conversationIds.length === 0) return result;
  let query = db
    .selectFrom('members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.conversation_id', 'm.user_id', 'u.username', 'u.is_bot', 'u.display_name', 'u.avatar_key', 'm.role', 'm.joined_at', 'm.last_read_seq'])
    .where('m.conversation_id', 'in', conversationIds);
  if (onlyUserId !== undefined) query = query.where('m.user_id', '=', onlyUserId);
  const rows = await query.orderBy('m.joined_at').orderBy('m.user_id').execute();
  for (const row of rows) {
    const list = result.get(row.conversation_id) ?? [];
    list.push(toMember(row));
    result.set(row.conversation_id, list);
  }
  return result;
}

export function toConversation(row: ConversationRow, members: Member[]): Conversation {
  return {
    id: row.id,
    title: row.title,
    created_at: toIso(row.created_at),
    created_by: row.created_by,
    last_seq: Number(row.last_seq),
    last_event_seq: Number(row.last_event_seq),
    members,
    // Only when set: a conversation without retention keeps the v1 shape.
    ...(row.retention_days != null ? { retention_days: Number(row.retention_days) } : {}),
    ...(Number(row.expired_through_seq ?? 0) > 0 ? { expired_through_seq: Number(row.expired_through_seq) } : {}),
  };
}
