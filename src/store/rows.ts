/** Row → wire object mappers shared by the repositories. */
import type { Message, User } from '@pneumatic/protocol';

/** PostgreSQL returns timestamptz as Date, SQLite returns the ISO text it stored. */
export function toIso(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}

export function toIsoOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIso(value);
}

export function toUser(row: { id: string; username: string; created_at: Date | string }): User {
  return { id: row.id, username: row.username, created_at: toIso(row.created_at) };
}

export interface MessageRow {
  message_id: string;
  conversation_id: string;
  sender_id: string;
  content: string;
  seq: number;
  created_at: Date | string;
  edited_at: Date | string | null;
  deleted_at: Date | string | null;
  version: number;
}

export function toMessage(row: MessageRow): Message {
  return {
    message_id: row.message_id,
    conversation_id: row.conversation_id,
    sender_id: row.sender_id,
    content: row.content,
    seq: Number(row.seq),
    created_at: toIso(row.created_at),
    edited_at: toIsoOrNull(row.edited_at),
    deleted: row.deleted_at !== null,
    version: Number(row.version),
  };
}
